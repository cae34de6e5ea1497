//! Column generation: the reduced-cost optimality check over all n·m pupil–school pairs,
//! and the repair that adds a violating pupil's most violated pairs as new columns, moves it
//! if one is now its cheapest school, and cancels the negative cycle this closes.

use rayon::prelude::*;

use super::search::Goal;
use super::successive_shortest_paths::Solver;
use super::{millimetres, INF, NONE};

impl<F: Fn(usize, usize) -> f64 + Sync> Solver<'_, F> {
    /// Pupils violating the reduced-cost optimality condition over all pairs, each with up
    /// to `max_columns` most violated schools and their costs, in pupil order. Pupils whose
    /// bound rules out a violation are skipped; the bounds of the others are renewed.
    pub(super) fn violations(&mut self, max_columns: usize) -> Vec<(u32, Vec<(u32, i64)>)> {
        type Found = (i64, Option<Vec<(u32, i64)>>);
        let this = &*self;
        let per_pupil: Vec<Option<Found>> = (0..this.school_of.len())
            .into_par_iter()
            .map_init(
                || (vec![false; this.n_real], Vec::new()),
                |(is_cand, found): &mut (Vec<bool>, Vec<(i64, u32, i64)>), i| {
                    let s = this.school_of[i];
                    if s == NONE {
                        return None;
                    }
                    let own = this.cost_at[i] - this.pi[s as usize];
                    if this.bound[i] >= own {
                        return None;
                    }
                    for (j, _) in this.cands.of(i) {
                        if let Some(flag) = is_cand.get_mut(j as usize) {
                            *flag = true;
                        }
                    }
                    found.clear();
                    let mut rest = INF;
                    for (j, (&skip, &pi)) in is_cand.iter().zip(&this.pi).enumerate() {
                        if skip {
                            continue;
                        }
                        let c = millimetres((this.cost)(i, j));
                        let key = c - pi;
                        if key < own {
                            found.push((key, j as u32, c));
                        } else {
                            rest = rest.min(key);
                        }
                    }
                    for (j, _) in this.cands.of(i) {
                        if let Some(flag) = is_cand.get_mut(j as usize) {
                            *flag = false;
                        }
                    }
                    found.sort_unstable();
                    if let Some(&(key, _, _)) = found.get(max_columns) {
                        rest = rest.min(key);
                    }
                    found.truncate(max_columns);
                    let columns = (!found.is_empty())
                        .then(|| found.iter().map(|&(_, j, c)| (j, c)).collect());
                    Some((rest, columns))
                },
            )
            .collect();
        let mut violations = Vec::new();
        for (i, found) in per_pupil.into_iter().enumerate() {
            if let Some((bound, columns)) = found {
                self.bound[i] = bound;
                if let Some(columns) = columns {
                    violations.push((i as u32, columns));
                }
            }
        }
        violations
    }

    /// Adds new candidate schools to a placed pupil and restores optimality: if one of them
    /// is now cheaper at the current prices, the pupil moves there and the resulting
    /// negative cycle is cancelled by a shortest path from its new school back to its old
    /// one (the excess and the deficit of that move), which is usually short.
    pub(super) fn add_columns(&mut self, pupil: u32, new_columns: &[(u32, i64)]) {
        let i = pupil as usize;
        self.stats.columns_added += new_columns.len() as u64;
        self.cands.extra[i].extend_from_slice(new_columns);
        let s = self.school_of[i];
        if s == NONE {
            self.insert(pupil);
            return;
        }
        let own = self.cost_at[i] - self.pi[s as usize];
        let best = self
            .cands
            .of(i)
            .map(|(j, c)| (c - self.pi[j as usize], j, c))
            .min();
        let Some((key, j_star, c_star)) = best.filter(|&(key, _, _)| key < own) else {
            for &(j, c) in new_columns {
                self.graph.push(s, j, c - self.cost_at[i], pupil);
            }
            return;
        };
        debug_assert!(key < own);
        self.stats.repairs += 1;
        self.assign(pupil, j_star, c_star);
        self.search.goal = s;
        self.search.excess_at = j_star;
        self.search.deficit_at = s;
        self.search.relax(j_star, 0, NONE, NONE, 0);
        let found = self.dijkstra(Goal::School(s));
        self.search.excess_at = NONE;
        self.search.deficit_at = NONE;
        if let Some(d_school) = found {
            self.update_potentials(d_school);
            self.apply_path(s);
            self.search.reset();
        } else {
            // Unreachable: the pupil's own edge back to `s` closes the cycle. Undo the move
            // rather than leave an excess.
            debug_assert!(found.is_some(), "no way back to the old school");
            self.search.reset();
            self.assign(pupil, s, own + self.pi[s as usize]);
        }
    }
}
