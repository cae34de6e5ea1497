//! Zone rings and road lines from plain coordinates, with the checks that make a zone's area
//! or a road's course unambiguous. Each function returns the first problem of a geometry as
//! a [`GeometryError`] naming the ring or line and the position.
//!
//! A position is a slice of numbers, longitude then latitude (WGS84 degrees); further
//! numbers, such as an altitude, are ignored. A zone ring must have at least 4 positions
//! once closed, WGS84 lon/lat positions, enclose some area (not all its points on one line),
//! and not cross or run over itself. An unclosed ring is closed (repair). A ring may touch
//! itself at a point (as ESRI "inverted holes" do): the winding rule of
//! [`catchment`](crate::catchment) still gives every home one answer there. Holes are not
//! checked against their outer ring, nor the parts of a MultiPolygon against each other: a
//! home is in a zone when it is inside some part's outer ring and in none of that part's
//! holes. A road line needs 2 or more positions.
//!
//! ```
//! use xuewei_core::city::geometry::{polygon, GeometryError, Part};
//! let square = [[113.0, 34.0], [113.1, 34.0], [113.1, 34.1], [113.0, 34.1]];
//! assert!(polygon(&[square], None).is_ok());
//! let hole = [[113.02, 34.02], [113.08, 34.08], [113.08, 34.02], [113.02, 34.08]];
//! let err = polygon(&[square, hole], Some(2)).unwrap_err();
//! assert!(matches!(err, GeometryError::CrossesItself { part: Part::Ring { ring: 1, .. }, .. }));
//! assert_eq!(err.to_string(), "polygon 2 hole 1 crosses itself at (113.05, 34.05)");
//! ```

use std::fmt;

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Coord, GeoNum, Kernel, Line, LineString, Orientation, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

/// Which ring or line of a geometry a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Part {
    /// Ring `ring` of a polygon: 0 is the outer ring, 1.. the holes. `polygon` is the
    /// polygon's index within a MultiPolygon (`None` for a lone Polygon).
    Ring {
        /// The polygon within a MultiPolygon.
        polygon: Option<usize>,
        /// The ring within the polygon.
        ring: usize,
    },
    /// A road's line: `index` within a MultiLineString (`None` for a lone LineString).
    Line {
        /// The line within a MultiLineString.
        index: Option<usize>,
    },
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Part::Ring { polygon, ring } => {
                if let Some(p) = polygon {
                    write!(f, "polygon {p} ")?;
                }
                if ring == 0 {
                    f.write_str("outer ring")
                } else {
                    write!(f, "hole {ring}")
                }
            }
            Part::Line { index: None } => f.write_str("line"),
            Part::Line { index: Some(k) } => write!(f, "line {k}"),
        }
    }
}

/// Why a position is not a WGS84 lon/lat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PositionProblem {
    /// It has fewer than two numbers.
    TooFewNumbers,
    /// A coordinate is NaN or infinite.
    NotFinite,
    /// The latitude is out of range and the longitude would be a valid latitude.
    Swapped,
    /// The longitude is outside [-180, 180].
    LonOutOfRange,
    /// The latitude is outside [-90, 90].
    LatOutOfRange,
}

impl fmt::Display for PositionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PositionProblem::TooFewNumbers => "has fewer than 2 numbers",
            PositionProblem::NotFinite => "is not finite",
            PositionProblem::Swapped => "lat out of range [-90, 90] (lon and lat swapped?)",
            PositionProblem::LonOutOfRange => "lon out of range [-180, 180]",
            PositionProblem::LatOutOfRange => "lat out of range [-90, 90]",
        })
    }
}

/// The first problem of a zone outline or a road line.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeometryError {
    /// A polygon has no rings at all.
    #[error("{}", no_rings(*.polygon))]
    NoRings {
        /// The polygon within a MultiPolygon (`None` for a lone Polygon).
        polygon: Option<usize>,
    },
    /// A position is not a WGS84 lon/lat (the first such; `more` others are bad too).
    #[error("{part} position {index}{}{}", position_note(*.at, *.problem), more_note(*.more))]
    Position {
        /// The ring or line.
        part: Part,
        /// 0-based index of the position in it.
        index: usize,
        /// The position, when it has two numbers.
        at: Option<Coord<f64>>,
        /// What is wrong with it.
        problem: PositionProblem,
        /// How many more positions of the part are bad.
        more: usize,
    },
    /// Too few positions: a ring needs 4 once closed, a line 2.
    #[error("{part} has {count} position(s); {}", needs(*.part))]
    TooFewPositions {
        /// The ring or line.
        part: Part,
        /// How many it has (as given, before an unclosed ring is closed).
        count: usize,
    },
    /// Every point of a ring lies on one line.
    #[error("{part} encloses no area (all its points lie on one line)")]
    NoArea {
        /// The ring.
        part: Part,
    },
    /// Two edges of a ring that are not neighbours cross.
    #[error("{part} crosses itself at {}", show(*.at))]
    CrossesItself {
        /// The ring.
        part: Part,
        /// Where.
        at: Coord<f64>,
    },
    /// Two edges of a ring that are not neighbours share a stretch.
    #[error("{part} runs over itself between {} and {}", show(*.from), show(*.to))]
    RunsOverItself {
        /// The ring.
        part: Part,
        /// One end of the shared stretch.
        from: Coord<f64>,
        /// The other end.
        to: Coord<f64>,
    },
}

fn no_rings(polygon: Option<usize>) -> String {
    match polygon {
        Some(p) => format!("polygon {p} has no rings"),
        None => "has no rings (an empty zone)".to_owned(),
    }
}

fn position_note(at: Option<Coord<f64>>, problem: PositionProblem) -> String {
    match at {
        Some(c) => format!(" {}: {problem}", show(c)),
        None => format!(" {problem}"),
    }
}

fn more_note(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!(" (and {more} more bad position(s))")
    }
}

fn needs(part: Part) -> &'static str {
    match part {
        Part::Ring { .. } => "a ring needs 4 or more, the last repeating the first",
        Part::Line { .. } => "a road needs 2 or more",
    }
}

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
fn out_of_range(x: f64, y: f64) -> Option<PositionProblem> {
    if !(x.is_finite() && y.is_finite()) {
        return Some(PositionProblem::NotFinite);
    }
    if y.abs() > 90.0 && y.abs() <= 180.0 && x.abs() <= 90.0 {
        return Some(PositionProblem::Swapped);
    }
    if x.abs() > 180.0 {
        return Some(PositionProblem::LonOutOfRange);
    }
    if y.abs() > 90.0 {
        return Some(PositionProblem::LatOutOfRange);
    }
    None
}

/// Converts positions to coordinates, reporting the first position that has fewer than two
/// numbers or is not a WGS84 lon/lat (and how many more are bad).
fn coords<P: AsRef<[f64]>>(positions: &[P], part: Part) -> Result<Vec<Coord<f64>>, GeometryError> {
    let mut out = Vec::with_capacity(positions.len());
    let mut first: Option<(usize, Option<Coord<f64>>, PositionProblem)> = None;
    let mut more = 0usize;
    for (index, p) in positions.iter().enumerate() {
        let bad = match p.as_ref() {
            [x, y, ..] => {
                let c = Coord { x: *x, y: *y };
                match out_of_range(*x, *y) {
                    None => {
                        out.push(c);
                        continue;
                    }
                    Some(problem) => (index, Some(c), problem),
                }
            }
            _ => (index, None, PositionProblem::TooFewNumbers),
        };
        if first.is_none() {
            first = Some(bad);
        } else {
            more += 1;
        }
    }
    match first {
        None => Ok(out),
        Some((index, at, problem)) => Err(GeometryError::Position {
            part,
            index,
            at,
            problem,
            more,
        }),
    }
}

/// A polygon's rings (the outer ring, then the holes) as a checked polygon. `polygon` is its
/// index within a MultiPolygon (`None` for a lone Polygon), for messages.
///
/// # Errors
/// The first problem of the first bad ring: no rings, a bad position, too few positions, no
/// area, a self-crossing.
///
/// # Complexity
/// O(n log n + k) per ring of n positions, k pairs of edges with intersecting boxes.
pub fn polygon<R, P>(rings: &[R], polygon: Option<usize>) -> Result<Polygon<f64>, GeometryError>
where
    R: AsRef<[P]>,
    P: AsRef<[f64]>,
{
    if rings.is_empty() {
        return Err(GeometryError::NoRings { polygon });
    }
    let mut checked = Vec::with_capacity(rings.len());
    for (ring, positions) in rings.iter().enumerate() {
        let positions = positions.as_ref();
        let part = Part::Ring { polygon, ring };
        let mut c = coords(positions, part)?;
        if c.len() >= 2 && c.first() != c.last() {
            c.push(c[0]);
        }
        if c.len() < 4 {
            return Err(GeometryError::TooFewPositions {
                part,
                count: positions.len(),
            });
        }
        if collinear(&c) {
            return Err(GeometryError::NoArea { part });
        }
        self_crossing(&c, part)?;
        checked.push(LineString::new(c));
    }
    let exterior = checked.remove(0);
    Ok(Polygon::new(exterior, checked))
}

/// A road's line as a checked line string: 2 or more WGS84 lon/lat positions. `index` is
/// its index within a MultiLineString (`None` for a lone LineString), for messages.
///
/// # Errors
/// A bad position, or fewer than 2 positions.
pub fn line<P: AsRef<[f64]>>(
    positions: &[P],
    index: Option<usize>,
) -> Result<LineString<f64>, GeometryError> {
    let part = Part::Line { index };
    let coords = coords(positions, part)?;
    if coords.len() < 2 {
        return Err(GeometryError::TooFewPositions {
            part,
            count: coords.len(),
        });
    }
    Ok(LineString::new(coords))
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
/// point inside both) or runs over itself (two non-adjacent edges share a stretch);
/// touching at a vertex is allowed. Repeated consecutive points are ignored.
///
/// # Complexity
/// O(n log n + k) for n edges and k pairs of edges with intersecting bounding boxes.
fn self_crossing(ring: &[Coord<f64>], part: Part) -> Result<(), GeometryError> {
    let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ring.len());
    for &c in ring {
        if pts.last() != Some(&c) {
            pts.push(c);
        }
    }
    let edges: Vec<Line<f64>> = pts.windows(2).map(|w| Line::new(w[0], w[1])).collect();
    let n = edges.len();
    if n < 4 {
        return Ok(());
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
                }) => {
                    return Err(GeometryError::CrossesItself {
                        part,
                        at: intersection,
                    })
                }
                Some(LineIntersection::Collinear { intersection })
                    if intersection.start != intersection.end =>
                {
                    return Err(GeometryError::RunsOverItself {
                        part,
                        from: intersection.start,
                        to: intersection.end,
                    });
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(points: &[(f64, f64)]) -> Vec<[f64; 2]> {
        points.iter().map(|&(x, y)| [x, y]).collect()
    }

    fn check(points: &[(f64, f64)], expected: Result<(), &str>) {
        let got = polygon(&[pos(points)], None)
            .map(|_| ())
            .map_err(|e| e.to_string());
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
        let none: [Vec<[f64; 2]>; 0] = [];
        assert_eq!(
            polygon(&none, None).map_err(|e| e.to_string()),
            Err("has no rings (an empty zone)".to_owned())
        );
        assert_eq!(
            polygon(&none, Some(2)),
            Err(GeometryError::NoRings { polygon: Some(2) })
        );
        assert_eq!(
            GeometryError::NoRings { polygon: Some(2) }.to_string(),
            "polygon 2 has no rings"
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
        let short: Vec<Vec<f64>> = vec![
            vec![0.0, 0.0],
            vec![1.0],
            vec![1.0, 1.0, 7.0],
            vec![0.0, 0.0],
        ];
        assert_eq!(
            polygon(&[short], Some(1)).map_err(|e| e.to_string()),
            Err("polygon 1 outer ring position 1 has fewer than 2 numbers".to_owned())
        );
    }

    #[test]
    fn hole_problems_name_the_hole() {
        let outer = pos(&[(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]);
        let hole = pos(&[(1.0, 1.0), (3.0, 3.0), (3.0, 1.0), (1.0, 3.0), (1.0, 1.0)]);
        assert_eq!(
            polygon(&[outer, hole], None).map_err(|e| e.to_string()),
            Err("hole 1 crosses itself at (2, 2)".to_owned())
        );
    }

    #[test]
    fn road_lines() {
        let ok = line(&[[113.6, 34.7], [113.7, 34.7]], None).expect("a line");
        assert_eq!(ok.0.len(), 2);
        assert_eq!(
            line(&[[113.6, 34.7]], Some(3)).map_err(|e| e.to_string()),
            Err("line 3 has 1 position(s); a road needs 2 or more".to_owned())
        );
        assert_eq!(
            line(&[[113.6, f64::NAN], [313.6, 0.0]], None).map_err(|e| e.to_string()),
            Err(
                "line position 0 (113.6, NaN): is not finite (and 1 more bad position(s))"
                    .to_owned()
            )
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
        let part = Part::Ring {
            polygon: None,
            ring: 0,
        };
        assert_eq!(self_crossing(&ring, part), Ok(()));
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
        assert!(self_crossing(&ring, part).is_err());
    }
}
