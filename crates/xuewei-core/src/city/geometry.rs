//! GeoJSON positions → geo rings and lines, with the checks that make a zone's area or a
//! road's course unambiguous. Each function returns the first problem of a geometry as a
//! sentence for [`CityError::Geometry`](super::CityError::Geometry).
//!
//! A zone ring must have at least 4 positions once closed, WGS84 lon/lat positions, enclose
//! some area (not all its points on one line), and not cross or run over itself. An
//! unclosed ring is closed (repair). A ring may touch itself at a point (as ESRI "inverted
//! holes" do): the winding rule of [`catchment`](crate::catchment) still gives every home
//! one answer there. Holes are not checked against their outer ring, nor the parts of a
//! MultiPolygon against each other: a home is in a zone when it is inside some part's outer
//! ring and in none of that part's holes.

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Coord, GeoNum, Kernel, Line, LineString, Orientation, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

/// A position as text, to 7 decimals (about 1 cm) without trailing zeros: `(113.6, 34.7)`.
fn show(c: Coord<f64>) -> String {
    let deg = |v: f64| {
        let t = format!("{v:.7}");
        let t = t.trim_end_matches('0').trim_end_matches('.');
        if t == "-0" {
            "0".to_owned()
        } else {
            t.to_owned()
        }
    };
    format!("({}, {})", deg(c.x), deg(c.y))
}

/// Why a position is not a WGS84 lon/lat, or `None` when it is one.
fn out_of_range(x: f64, y: f64) -> Option<String> {
    if !(x.is_finite() && y.is_finite()) {
        return Some("is not finite".to_owned());
    }
    if y.abs() > 90.0 && y.abs() <= 180.0 && x.abs() <= 90.0 {
        return Some("lat out of range [-90, 90] (lon and lat swapped?)".to_owned());
    }
    if x.abs() > 180.0 {
        return Some("lon out of range [-180, 180]".to_owned());
    }
    if y.abs() > 90.0 {
        return Some("lat out of range [-90, 90]".to_owned());
    }
    None
}

/// Converts positions to coordinates, reporting the first position that has fewer than two
/// numbers or is not a WGS84 lon/lat (and how many more are out of range). `what` names the
/// part in messages, e.g. `outer ring` or `line 2`.
pub(crate) fn coords(
    positions: &[geojson::Position],
    what: &str,
) -> Result<Vec<Coord<f64>>, String> {
    let mut out = Vec::with_capacity(positions.len());
    let mut first: Option<String> = None;
    let mut more = 0usize;
    for (i, p) in positions.iter().enumerate() {
        let problem = match p.as_slice() {
            [x, y, ..] => match out_of_range(*x, *y) {
                None => {
                    out.push(Coord { x: *x, y: *y });
                    continue;
                }
                Some(why) => format!(
                    "{what} position {i} {}: {why}",
                    show(Coord { x: *x, y: *y })
                ),
            },
            _ => format!("{what} position {i} has fewer than 2 numbers"),
        };
        if first.is_none() {
            first = Some(problem);
        } else {
            more += 1;
        }
    }
    match first {
        None => Ok(out),
        Some(p) if more == 0 => Err(p),
        Some(p) => Err(format!("{p} (and {more} more bad position(s))")),
    }
}

/// The name of ring `r` of a polygon (ring 0 is the outer ring), prefixed by the polygon's
/// index within a MultiPolygon.
fn ring_name(polygon: Option<usize>, r: usize) -> String {
    let ring = if r == 0 {
        "outer ring".to_owned()
    } else {
        format!("hole {r}")
    };
    match polygon {
        Some(p) => format!("polygon {p} {ring}"),
        None => ring,
    }
}

/// A GeoJSON Polygon's rings as a checked polygon. `polygon` is its index within a
/// MultiPolygon (`None` for a Polygon).
pub(crate) fn polygon(
    rings: &[Vec<geojson::Position>],
    polygon: Option<usize>,
) -> Result<Polygon<f64>, String> {
    if rings.is_empty() {
        return Err(match polygon {
            Some(p) => format!("polygon {p} has no rings"),
            None => "has no rings (an empty zone)".to_owned(),
        });
    }
    let mut checked = Vec::with_capacity(rings.len());
    for (r, positions) in rings.iter().enumerate() {
        let name = ring_name(polygon, r);
        let mut c = coords(positions, &name)?;
        if c.len() >= 2 && c.first() != c.last() {
            c.push(c[0]);
        }
        if c.len() < 4 {
            return Err(format!(
                "{name} has {} position(s); a ring needs 4 or more, the last repeating the first",
                positions.len()
            ));
        }
        if collinear(&c) {
            return Err(format!(
                "{name} encloses no area (all its points lie on one line)"
            ));
        }
        if let Some(problem) = self_crossing(&c) {
            return Err(format!("{name} {problem}"));
        }
        checked.push(LineString::new(c));
    }
    let exterior = checked.remove(0);
    Ok(Polygon::new(exterior, checked))
}

/// Whether every point of a ring lies on one line (or there are fewer than 3 distinct
/// points): the ring encloses no area. Exact (robust orientation predicate).
fn collinear(ring: &[Coord<f64>]) -> bool {
    let a = ring[0];
    let Some(&b) = ring.iter().find(|&&c| c != a) else {
        return true;
    };
    ring.iter()
        .all(|&c| <f64 as GeoNum>::Ker::orient2d(a, b, c) == Orientation::Collinear)
}

type EdgeBox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The first place where a closed ring crosses itself (two non-adjacent edges meet at a
/// point inside both) or runs over itself (two non-adjacent edges share a stretch), as
/// `crosses itself at (x, y)`; touching at a vertex is allowed. Repeated consecutive
/// points are ignored.
///
/// # Complexity
/// O(n log n + k) for n edges and k pairs of edges with intersecting bounding boxes.
fn self_crossing(ring: &[Coord<f64>]) -> Option<String> {
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ring.len());
    for &c in ring {
        if pts.last() != Some(&c) {
            pts.push(c);
        }
    }
    let edges: Vec<Line<f64>> = pts.windows(2).map(|w| Line::new(w[0], w[1])).collect();
    let n = edges.len();
    if n < 4 {
        return None;
    }
    let boxes = edges
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let r = Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]);
            GeomWithData::new(r, i)
        })
        .collect();
    let tree: RTree<EdgeBox> = RTree::bulk_load(boxes);
    let adjacent = |i: usize, j: usize| j == i + 1 || (i == 0 && j == n - 1);
    for (i, &a) in edges.iter().enumerate() {
        let env = Rectangle::from_corners([a.start.x, a.start.y], [a.end.x, a.end.y]).envelope();
        let mut others: Vec<usize> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
            .filter(|&j| j > i && !adjacent(i, j))
            .collect();
        others.sort_unstable();
        for j in others {
            match line_intersection(a, edges[j]) {
                Some(LineIntersection::SinglePoint {
                    intersection,
                    is_proper: true,
                }) => return Some(format!("crosses itself at {}", show(intersection))),
                Some(LineIntersection::Collinear { intersection })
                    if intersection.start != intersection.end =>
                {
                    return Some(format!(
                        "runs over itself between {} and {}",
                        show(intersection.start),
                        show(intersection.end)
                    ));
                }
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(points: &[(f64, f64)]) -> Vec<geojson::Position> {
        points.iter().map(|&p| p.into()).collect()
    }

    fn check(points: &[(f64, f64)], expected: Result<(), &str>) {
        let got = polygon(&[pos(points)], None).map(|_| ());
        assert_eq!(got, expected.map_err(ToOwned::to_owned), "{points:?}");
    }

    #[test]
    fn good_rings() {
        check(
            &[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)],
            Ok(()),
        );
        // Unclosed: closed for you.
        check(&[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)], Ok(()));
        // Repeated points and a touch at a vertex (an inverted hole) are fine.
        check(
            &[
                (0.0, 0.0),
                (0.0, 0.0),
                (4.0, 0.0),
                (4.0, 4.0),
                (2.0, 0.0),
                (1.0, 2.0),
                (0.0, 4.0),
                (0.0, 0.0),
            ],
            Ok(()),
        );
    }

    #[test]
    fn bow_tie_crosses_itself() {
        check(
            &[(0.0, 0.0), (2.0, 2.0), (2.0, 0.0), (0.0, 2.0), (0.0, 0.0)],
            Err("outer ring crosses itself at (1, 1)"),
        );
    }

    #[test]
    fn ring_running_over_itself() {
        check(
            &[
                (0.0, 0.0),
                (4.0, 0.0),
                (4.0, 2.0),
                (3.0, 0.0),
                (1.0, 0.0),
                (0.0, 2.0),
                (0.0, 0.0),
            ],
            Err("outer ring runs over itself between (3, 0) and (1, 0)"),
        );
    }

    #[test]
    fn degenerate_rings() {
        check(
            &[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.0)],
            Err("outer ring encloses no area (all its points lie on one line)"),
        );
        check(
            &[(1.0, 1.0), (1.0, 1.0), (1.0, 1.0), (1.0, 1.0)],
            Err("outer ring encloses no area (all its points lie on one line)"),
        );
        check(
            &[(0.0, 0.0), (1.0, 0.0), (0.0, 0.0)],
            Err("outer ring has 3 position(s); a ring needs 4 or more, the last repeating the first"),
        );
        assert_eq!(
            polygon(&[], None).map(|_| ()),
            Err("has no rings (an empty zone)".to_owned())
        );
        assert_eq!(
            polygon(&[], Some(2)).map(|_| ()),
            Err("polygon 2 has no rings".to_owned())
        );
    }

    #[test]
    fn positions_out_of_range() {
        check(
            &[(34.7, 113.6), (34.8, 113.6), (34.8, 113.7), (34.7, 113.6)],
            Err("outer ring position 0 (34.7, 113.6): lat out of range [-90, 90] (lon and lat swapped?) (and 3 more bad position(s))"),
        );
        check(
            &[(0.0, 0.0), (213.6, 0.0), (1.0, 1.0), (0.0, 0.0)],
            Err("outer ring position 1 (213.6, 0): lon out of range [-180, 180]"),
        );
        let short: Vec<geojson::Position> = vec![
            vec![0.0, 0.0].into(),
            vec![1.0].into(),
            vec![1.0, 1.0].into(),
            vec![0.0, 0.0].into(),
        ];
        assert_eq!(
            polygon(&[short], Some(1)).map(|_| ()),
            Err("polygon 1 outer ring position 1 has fewer than 2 numbers".to_owned())
        );
    }

    #[test]
    fn hole_problems_name_the_hole() {
        let outer = pos(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]);
        let hole = pos(&[(1.0, 1.0), (3.0, 3.0), (3.0, 1.0), (1.0, 3.0), (1.0, 1.0)]);
        assert_eq!(
            polygon(&[outer, hole], None).map(|_| ()),
            Err("hole 1 crosses itself at (2, 2)".to_owned())
        );
    }

    /// A large star with integer vertices is simple; swapping two of its vertices makes it
    /// cross itself, and the R-tree finds it like the brute-force scan.
    #[test]
    fn large_rings_agree_with_brute_force() {
        let n = 400;
        let mut ring: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let a = std::f64::consts::TAU * f64::from(k) / f64::from(n);
                let r = if k % 2 == 0 { 1000.0 } else { 700.0 };
                Coord {
                    x: (r * a.cos()).round(),
                    y: (r * a.sin()).round(),
                }
            })
            .collect();
        ring.push(ring[0]);
        assert_eq!(self_crossing(&ring), None);
        assert!(!collinear(&ring));
        ring.swap(10, 200);
        let brute = {
            let e: Vec<Line<f64>> = ring.windows(2).map(|w| Line::new(w[0], w[1])).collect();
            let m = e.len();
            (0..m).any(|i| {
                (i + 2..m).any(|j| {
                    !(i == 0 && j == m - 1)
                        && line_intersection(e[i], e[j]).is_some_and(|x| match x {
                            LineIntersection::SinglePoint { is_proper, .. } => is_proper,
                            LineIntersection::Collinear { intersection } => {
                                intersection.start != intersection.end
                            }
                        })
                })
            })
        };
        assert!(brute);
        assert!(self_crossing(&ring).is_some());
    }
}
