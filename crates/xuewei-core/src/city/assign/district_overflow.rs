//! Step 3: overflow (统筹). Pupils of the public pool without a seat in their zone go to
//! public schools of their stage with free seats, minimising total travel distance
//! ([`min_cost_placement`]): first within their own school district (学区), then in the
//! districts adjacent to it (with zones that touch its zones), then anywhere. Whoever is
//! left stays unplaced, with the reason the catchment gave.

use petgraph::graph::UnGraph;

use super::catchment::Homes;
use super::placement::How;
use super::stage::{Seating, StageInput};
use crate::overflow::min_cost_placement;

/// Places the waiting pupils on free public seats, district by district, then adjacent
/// districts, then anywhere.
pub(super) fn place(input: &StageInput<'_>, homes: &Homes, seating: &mut Seating) {
    let city = input.city;
    let n_districts = city.districts.len() as u32;
    let graph = adjacent_districts(input, homes);
    let mut free: Vec<u32> = vec![0; city.schools.len()];
    for &s in &input.public {
        free[s as usize] = input.seats[s as usize].saturating_sub(seating.placed[s as usize]);
    }
    let district_of = |lp: usize| homes.zone_of[lp].and_then(|z| city.zones[z as usize].district);
    let schools_in = |d: u32| -> Vec<u32> {
        input
            .public
            .iter()
            .copied()
            .filter(|&s| city.schools[s as usize].district == Some(d))
            .collect()
    };
    for own_district in [true, false] {
        for d in 0..n_districts {
            let who: Vec<usize> = seating
                .waiting()
                .filter(|&lp| district_of(lp) == Some(d))
                .collect();
            if who.is_empty() {
                continue;
            }
            let targets = if own_district {
                schools_in(d)
            } else {
                let mut near: Vec<u32> = graph
                    .neighbors(d.into())
                    .map(|n| n.index() as u32)
                    .collect();
                near.sort_unstable();
                near.iter().flat_map(|&n| schools_in(n)).collect()
            };
            place_on(input, homes, &who, &targets, &mut free, seating);
        }
    }
    let who: Vec<usize> = seating.waiting().collect();
    place_on(input, homes, &who, &input.public, &mut free, seating);
}

/// The districts of the city, linked when a zone of the stage in one touches a zone in the
/// other.
fn adjacent_districts(input: &StageInput<'_>, homes: &Homes) -> UnGraph<(), ()> {
    let city = input.city;
    let n_districts = city.districts.len();
    let mut graph: UnGraph<(), ()> = UnGraph::with_capacity(n_districts, 0);
    for _ in 0..n_districts {
        graph.add_node(());
    }
    for (a, b) in homes.index.touching_pairs() {
        let da = city.zones[input.zones[a as usize] as usize].district;
        let db = city.zones[input.zones[b as usize] as usize].district;
        if let (Some(x), Some(y)) = (da, db) {
            if x != y && graph.find_edge(x.into(), y.into()).is_none() {
                graph.add_edge(x.into(), y.into(), ());
            }
        }
    }
    graph
}

/// Places pupils `who` (local indices) on the free seats of `targets` at minimum total
/// distance.
fn place_on(
    input: &StageInput<'_>,
    homes: &Homes,
    who: &[usize],
    targets: &[u32],
    free: &mut [u32],
    seating: &mut Seating,
) {
    let targets: Vec<u32> = targets
        .iter()
        .copied()
        .filter(|&s| free[s as usize] > 0)
        .collect();
    if who.is_empty() || targets.is_empty() {
        return;
    }
    let capacity: Vec<u32> = targets.iter().map(|&s| free[s as usize]).collect();
    let result = min_cost_placement(
        who.len(),
        &capacity,
        |i, j| {
            let lp = who[i];
            input
                .metric
                .metres(homes.points[lp], homes.snaps[lp], targets[j])
        },
        &input.params.overflow,
    );
    for (i, s) in result.school_of.iter().enumerate() {
        if let Some(j) = s {
            let s = targets[*j as usize];
            free[s as usize] -= 1;
            seating.seat(who[i], s, How::Overflow);
        }
    }
}
