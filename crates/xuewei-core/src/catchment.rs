//! Catchment lookup (划片): which zone a home lies in.
//!
//! A [`ZoneIndex`] is built once from the catchment zones (polygons or multipolygons in WGS84
//! lon/lat, `x` = longitude, `y` = latitude) and answers "which zone is this home in" for one
//! home ([`ZoneIndex::locate`]) or a million ([`ZoneIndex::locate_all`], parallel, with its
//! sequential twin [`ZoneIndex::locate_all_sequential`]). The zone index of a zone is its
//! position in the input `Vec`.
//!
//! # Rules
//!
//! Every home gets exactly one [`Location`], decided by exact (robust-predicate) geometry:
//!
//! - **Inside**: the home is in the interior of exactly one zone; it is assigned to that zone.
//! - **OnBoundary**: the home is in the interior of no zone, but on the boundary of one or
//!   more; it is assigned to the *lowest-index* zone whose closed polygon contains it. A home
//!   exactly on an edge or vertex shared by several zones therefore lands in exactly one zone,
//!   deterministically.
//! - **Overlap { zones }**: the home is in the interior of `zones` ≥ 2 zones (the polygons
//!   overlap, a data problem that [`ZoneIndex::overlapping_pairs`] reports); it is assigned to
//!   the lowest-index one of them.
//! - **Outside**: in no closed zone; `zone` is `None`. Homes with non-finite coordinates are
//!   outside.
//!
//! A point in a hole of a polygon is outside that polygon; a point on a hole's ring is on its
//! boundary. A zone's position is the best position over its polygons (interior of any part
//! beats boundary of any part), so a home on an edge shared by two parts of one multipolygon
//! is on that zone's boundary, not outside it (geo's `CoordinatePosition` for a
//! `MultiPolygon` applies the OGC mod-2 rule there and would say outside).
//!
//! # Implementation
//!
//! An R*-tree (rstar, bulk loaded) over the zones' bounding boxes gives the candidate zones
//! of a home; each candidate is tested exactly with the winding-number rule of geo's
//! `coord_pos_relative_to_ring` (same robust `orient2d` predicate, same edge-crossing rules).
//! Each ring's edges are bucketed into horizontal bands, so a test only looks at the edges
//! whose latitude range can contain the home's: about constant work per ring, whatever the
//! number of vertices of the zone. Lookups do not allocate.
//!
//! ```
//! use geo::{point, polygon, MultiPolygon};
//! use xuewei_core::catchment::{LocationKind, ZoneIndex};
//!
//! // Two neighbouring zones sharing the edge lon = 113.66.
//! let west = polygon![(x: 113.65, y: 34.74), (x: 113.66, y: 34.74), (x: 113.66, y: 34.75), (x: 113.65, y: 34.75)];
//! let east = polygon![(x: 113.66, y: 34.74), (x: 113.67, y: 34.74), (x: 113.67, y: 34.75), (x: 113.66, y: 34.75)];
//! let index = ZoneIndex::new(vec![MultiPolygon::new(vec![west]), MultiPolygon::new(vec![east])])?;
//!
//! let home = index.locate(point!(x: 113.665, y: 34.745));
//! assert_eq!((home.zone, home.kind), (Some(1), LocationKind::Inside));
//!
//! // On the shared edge: the lower-index zone.
//! let edge = index.locate(point!(x: 113.66, y: 34.745));
//! assert_eq!((edge.zone, edge.kind), (Some(0), LocationKind::OnBoundary));
//!
//! assert_eq!(index.locate(point!(x: 113.70, y: 34.745)).zone, None);
//! assert_eq!(index.touching_pairs(), vec![(0, 1)]);
//! assert!(index.overlapping_pairs().is_empty());
//! # Ok::<(), xuewei_core::catchment::ZoneErrors>(())
//! ```

use std::ops::ControlFlow;

use geo::{
    BoundingRect, Coord, GeoNum, Intersects, Kernel, Line, MultiPolygon, Orientation, Point, Relate,
};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

use crate::error::{Problem, Problems};

/// Where a home lies relative to the catchment zones, and the zone it is assigned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The zone the home is assigned to (index into the zones given to [`ZoneIndex::new`]),
    /// `None` when outside every zone.
    pub zone: Option<u32>,
    /// How the home relates to the zones; see the [module rules](self#rules).
    pub kind: LocationKind,
}

impl Location {
    /// A home outside every zone.
    pub const OUTSIDE: Self = Self {
        zone: None,
        kind: LocationKind::Outside,
    };
}

/// How a home relates to the zones; see the [module rules](self#rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocationKind {
    /// In no zone (not even on a boundary).
    Outside,
    /// In the interior of exactly one zone.
    Inside,
    /// On the boundary of at least one zone and in the interior of none; assigned to the
    /// lowest-index zone containing it.
    OnBoundary,
    /// In the interior of several overlapping zones; assigned to the lowest-index one.
    Overlap {
        /// How many zones' interiors contain the home (≥ 2).
        zones: u32,
    },
}

/// One problem in the zones given to [`ZoneIndex::new`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    /// A vertex has a NaN or infinite coordinate.
    #[error("zone {zone}: polygon {polygon}: ring {ring}: vertex {vertex}: coordinate ({x}, {y}) is not finite")]
    NonFiniteCoordinate {
        /// Zone index (position in the input).
        zone: usize,
        /// Polygon index within the zone's multipolygon.
        polygon: usize,
        /// Ring index within the polygon: 0 is the exterior, 1.. the holes.
        ring: usize,
        /// Vertex index within the ring.
        vertex: usize,
        /// Longitude as given.
        x: f64,
        /// Latitude as given.
        y: f64,
    },
    /// More zones than `u32` indices allow.
    #[error("zones: {count} exceeds the limit of {limit}")]
    TooMany {
        /// How many zones were given.
        count: usize,
        /// The largest number supported.
        limit: usize,
    },
}

/// Every problem found in the zones given to [`ZoneIndex::new`] (never empty).
pub type ZoneErrors = Problems<ZoneError>;

impl Problem for ZoneError {
    const SUBJECT: &'static str = "in the catchment zones";
}

/// Position of a coordinate relative to a closed region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    Outside,
    OnBoundary,
    Inside,
}

/// One ring with its edges bucketed into horizontal bands of equal height.
///
/// Edge `e` is stored in every band from `band(e.min_y)` to `band(e.max_y)`; `band` is
/// monotone, so the band of a query latitude `y` holds every edge whose latitude range
/// contains `y`, which are the only edges the winding-number rule looks at.
#[derive(Clone, Debug)]
struct Ring {
    min: Coord<f64>,
    max: Coord<f64>,
    /// Bands per degree of latitude.
    scale: f64,
    n_bands: u32,
    /// CSR: edges of band `b` are `edges[offsets[b]..offsets[b + 1]]` (at most 4 per edge of
    /// the ring, or one per edge with a single band).
    offsets: Vec<usize>,
    edges: Vec<Line<f64>>,
}

/// Rings with at most this many edges get a single band.
const SMALL_RING: usize = 16;

impl Ring {
    /// `coords` is a closed ring (geo-types closes polygon rings) with at least one point.
    fn new(coords: &[Coord<f64>]) -> Self {
        let mut lines: Vec<Line<f64>> = coords.windows(2).map(|w| Line::new(w[0], w[1])).collect();
        if lines.is_empty() {
            // A one-point ring: a degenerate edge reproduces geo's "on boundary iff equal".
            lines.push(Line::new(coords[0], coords[0]));
        }
        let mut min = lines[0].start;
        let mut max = lines[0].start;
        for c in coords {
            min.x = min.x.min(c.x);
            min.y = min.y.min(c.y);
            max.x = max.x.max(c.x);
            max.y = max.y.max(c.y);
        }
        let height = max.y - min.y;
        let mut n_bands = if lines.len() <= SMALL_RING || height <= 0.0 {
            1
        } else {
            (lines.len() / 2).min(1 << 16)
        };
        // Long edges spanning many bands are copied into each: halve the bands until the
        // copies are at most 4 per edge. The copies are counted before anything is
        // allocated, so memory stays linear in the edges however long they are.
        let mut ring = Self::empty(min, max, n_bands);
        while n_bands > 1 && ring.copies(&lines) > 4 * lines.len() {
            n_bands /= 2;
            ring = Self::empty(min, max, n_bands);
        }
        ring.bucket(&lines);
        ring
    }

    /// A ring of `n_bands` bands over the box `min`..`max`, with no edges yet.
    fn empty(min: Coord<f64>, max: Coord<f64>, n_bands: usize) -> Self {
        let height = max.y - min.y;
        let scale = if n_bands > 1 {
            n_bands as f64 / height
        } else {
            0.0
        };
        Self {
            min,
            max,
            scale,
            // At most 2^16 bands (see `new`).
            n_bands: u32::try_from(n_bands).unwrap_or(u32::MAX),
            offsets: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// How many edge copies bucketing `lines` into this ring's bands would store.
    fn copies(&self, lines: &[Line<f64>]) -> usize {
        lines
            .iter()
            .map(|l| {
                let (lo, hi) = self.band_range(l);
                hi - lo + 1
            })
            .sum()
    }

    /// Stores each of `lines` in every band it spans (CSR).
    fn bucket(&mut self, lines: &[Line<f64>]) {
        let n_bands = self.n_bands as usize;
        self.offsets = vec![0; n_bands + 1];
        for l in lines {
            let (lo, hi) = self.band_range(l);
            for b in lo..=hi {
                self.offsets[b + 1] += 1;
            }
        }
        for b in 0..n_bands {
            self.offsets[b + 1] += self.offsets[b];
        }
        let mut fill: Vec<usize> = self.offsets[..n_bands].to_vec();
        self.edges = vec![lines[0]; self.offsets[n_bands]];
        for l in lines {
            let (lo, hi) = self.band_range(l);
            for f in &mut fill[lo..=hi] {
                self.edges[*f] = *l;
                *f += 1;
            }
        }
    }

    #[inline]
    fn band(&self, y: f64) -> usize {
        // Monotone in y; the float-to-int cast saturates, so the clamp is exact.
        (((y - self.min.y) * self.scale) as usize).min(self.n_bands as usize - 1)
    }

    fn band_range(&self, l: &Line<f64>) -> (usize, usize) {
        let (lo, hi) = if l.start.y <= l.end.y {
            (l.start.y, l.end.y)
        } else {
            (l.end.y, l.start.y)
        };
        (self.band(lo), self.band(hi))
    }

    /// The winding-number test of geo's `coord_pos_relative_to_ring`, restricted to the
    /// edges of the coordinate's band (the other edges contribute nothing to it).
    #[inline]
    fn position(&self, c: Coord<f64>) -> Pos {
        if c.x < self.min.x || c.x > self.max.x || c.y < self.min.y || c.y > self.max.y {
            return Pos::Outside;
        }
        let b = self.band(c.y);
        let edges = &self.edges[self.offsets[b]..self.offsets[b + 1]];
        let mut winding = 0i32;
        for l in edges {
            // The crossing must be strictly right of `c`, a boundary hit needs x in range:
            // an edge entirely left of `c` can do neither.
            if l.start.x < c.x && l.end.x < c.x {
                continue;
            }
            if l.start.y <= c.y {
                if l.end.y >= c.y {
                    let o = <f64 as GeoNum>::Ker::orient2d(l.start, l.end, c);
                    if o == Orientation::CounterClockwise && l.end.y != c.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(c.x, l.start.x, l.end.x) {
                        return Pos::OnBoundary;
                    }
                }
            } else if l.end.y <= c.y {
                let o = <f64 as GeoNum>::Ker::orient2d(l.start, l.end, c);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(c.x, l.start.x, l.end.x) {
                    return Pos::OnBoundary;
                }
            }
        }
        if winding == 0 {
            Pos::Outside
        } else {
            Pos::Inside
        }
    }
}

#[inline]
fn between(v: f64, a: f64, b: f64) -> bool {
    if a < b {
        a <= v && v <= b
    } else {
        b <= v && v <= a
    }
}

/// A polygon: exterior ring and holes.
#[derive(Clone, Debug)]
struct Poly {
    exterior: Ring,
    holes: Vec<Ring>,
}

impl Poly {
    /// geo's `Polygon` rule: outside the exterior → outside; on it → boundary; inside it →
    /// inside unless inside a hole (outside) or on a hole's ring (boundary).
    #[inline]
    fn position(&self, c: Coord<f64>) -> Pos {
        match self.exterior.position(c) {
            Pos::Inside => {
                for hole in &self.holes {
                    match hole.position(c) {
                        Pos::Outside => {}
                        Pos::OnBoundary => return Pos::OnBoundary,
                        Pos::Inside => return Pos::Outside,
                    }
                }
                Pos::Inside
            }
            other => other,
        }
    }
}

type ZoneBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// A spatial index of catchment zones (划片), answering "which zone is this home in".
///
/// Built once by [`ZoneIndex::new`], immutable afterwards; `Sync`, so one index serves all
/// threads. See the [module docs](self) for the assignment rules.
#[derive(Clone, Debug)]
pub struct ZoneIndex {
    zones: Vec<MultiPolygon<f64>>,
    /// Per zone, its non-empty polygons in input order.
    polys: Vec<Vec<Poly>>,
    tree: RTree<ZoneBox>,
}

impl ZoneIndex {
    /// Builds the index; zone `i` is `zones[i]`. Empty polygons are ignored (an empty zone
    /// contains nothing).
    ///
    /// # Errors
    ///
    /// [`ZoneErrors`] listing every vertex with a non-finite coordinate, or
    /// [`ZoneError::TooMany`] with more than `u32::MAX` zones.
    ///
    /// # Complexity
    ///
    /// O(V + Z log Z) for V vertices and Z zones (plus the copies of edges that span several
    /// bands, at most 4 V).
    pub fn new(zones: Vec<MultiPolygon<f64>>) -> Result<Self, ZoneErrors> {
        let mut errors = Vec::new();
        if u32::try_from(zones.len()).is_err() {
            errors.push(ZoneError::TooMany {
                count: zones.len(),
                limit: u32::MAX as usize,
            });
        }
        for (zone, mp) in zones.iter().enumerate() {
            for (polygon, p) in mp.0.iter().enumerate() {
                let rings = std::iter::once(p.exterior()).chain(p.interiors());
                for (ring, r) in rings.enumerate() {
                    for (vertex, c) in r.0.iter().enumerate() {
                        if !(c.x.is_finite() && c.y.is_finite()) {
                            errors.push(ZoneError::NonFiniteCoordinate {
                                zone,
                                polygon,
                                ring,
                                vertex,
                                x: c.x,
                                y: c.y,
                            });
                        }
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(Problems(errors));
        }
        let polys: Vec<Vec<Poly>> = zones
            .par_iter()
            .map(|mp| {
                mp.0.iter()
                    .filter(|p| !p.exterior().0.is_empty())
                    .map(|p| Poly {
                        exterior: Ring::new(&p.exterior().0),
                        holes: p
                            .interiors()
                            .iter()
                            .filter(|h| !h.0.is_empty())
                            .map(|h| Ring::new(&h.0))
                            .collect(),
                    })
                    .collect()
            })
            .collect();
        let boxes = zones
            .iter()
            .enumerate()
            .filter_map(|(i, mp)| {
                let r = mp.bounding_rect()?;
                let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                Some(GeomWithData::new(rect, i as u32))
            })
            .collect();
        Ok(Self {
            zones,
            polys,
            tree: RTree::bulk_load(boxes),
        })
    }

    /// Number of zones.
    #[must_use]
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// Whether there are no zones.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// The zones, as given.
    #[must_use]
    pub fn zones(&self) -> &[MultiPolygon<f64>] {
        &self.zones
    }

    /// Position of `c` relative to zone `zone`: the best over its polygons.
    #[inline]
    fn zone_position(&self, zone: u32, c: Coord<f64>) -> Pos {
        let mut best = Pos::Outside;
        for p in &self.polys[zone as usize] {
            match p.position(c) {
                Pos::Inside => return Pos::Inside,
                Pos::OnBoundary => best = Pos::OnBoundary,
                Pos::Outside => {}
            }
        }
        best
    }

    /// Locates one home; see the [module rules](self#rules).
    ///
    /// # Complexity
    ///
    /// O(log Z + k · e) for Z zones, k zones whose bounding box contains the home (usually
    /// 1–3) and e edges per band of their rings (a small constant). No allocation.
    #[must_use]
    pub fn locate(&self, home: Point<f64>) -> Location {
        let c = home.0;
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Location::OUTSIDE;
        }
        let mut n_inside = 0u32;
        let mut inside = u32::MAX;
        let mut boundary = u32::MAX;
        let _ = self.tree.locate_all_at_point_int(&[c.x, c.y], |zb| {
            let zone = zb.data;
            match self.zone_position(zone, c) {
                Pos::Inside => {
                    n_inside += 1;
                    inside = inside.min(zone);
                }
                Pos::OnBoundary => boundary = boundary.min(zone),
                Pos::Outside => {}
            }
            ControlFlow::<()>::Continue(())
        });
        match n_inside {
            0 if boundary == u32::MAX => Location::OUTSIDE,
            0 => Location {
                zone: Some(boundary),
                kind: LocationKind::OnBoundary,
            },
            1 => Location {
                zone: Some(inside),
                kind: LocationKind::Inside,
            },
            n => Location {
                zone: Some(inside),
                kind: LocationKind::Overlap { zones: n },
            },
        }
    }

    /// Locates every home, in parallel (rayon); `result[i]` is the location of `homes[i]`.
    /// Identical to [`locate_all_sequential`](Self::locate_all_sequential).
    ///
    /// # Complexity
    ///
    /// n × [`locate`](Self::locate) for n homes, split over the rayon threads.
    #[must_use]
    pub fn locate_all(&self, homes: &[Point<f64>]) -> Vec<Location> {
        homes
            .par_iter()
            .with_min_len(1024)
            .map(|&h| self.locate(h))
            .collect()
    }

    /// Sequential twin of [`locate_all`](Self::locate_all): test oracle and benchmark
    /// baseline.
    #[must_use]
    pub fn locate_all_sequential(&self, homes: &[Point<f64>]) -> Vec<Location> {
        homes.iter().map(|&h| self.locate(h)).collect()
    }

    /// Pairs of zones `(i, j)`, `i < j`, whose closed regions intersect: they share an edge
    /// or a point, or overlap, or one lies inside the other. Sorted, without repeats; the
    /// edges of a district adjacency graph. (Zones that meet only at a single vertex are
    /// included; filter them out with geometry if a shared edge is required.)
    ///
    /// Every edge of every ring goes into an R-tree; for each zone, in parallel, its edges
    /// are matched against the tree and tested exactly (geo `Line`/`Line` intersection with
    /// robust predicates). Pairs whose boxes meet but whose boundaries do not are then
    /// checked for containment with one vertex per polygon.
    ///
    /// # Complexity
    ///
    /// O((V + C) log V) for V vertices and C candidate edge pairs (edges with intersecting
    /// bounding boxes), plus O(P · e) per candidate zone pair for the containment check.
    #[must_use]
    pub fn touching_pairs(&self) -> Vec<(u32, u32)> {
        type EdgeBox = GeomWithData<Rectangle<[f64; 2]>, (u32, Line<f64>)>;
        let edge_box = |zone: u32, l: Line<f64>| -> EdgeBox {
            let r = Rectangle::from_corners([l.start.x, l.start.y], [l.end.x, l.end.y]);
            GeomWithData::new(r, (zone, l))
        };
        let mut edges: Vec<EdgeBox> = Vec::new();
        for (zone, polys) in self.polys.iter().enumerate() {
            for p in polys {
                for ring in std::iter::once(&p.exterior).chain(&p.holes) {
                    edges.extend(ring_edges(ring).map(|l| edge_box(zone as u32, l)));
                }
            }
        }
        let edge_tree = RTree::bulk_load(edges);
        let mut pairs: Vec<(u32, u32)> = (0..self.polys.len() as u32)
            .into_par_iter()
            .flat_map_iter(|zone| {
                let mut others: Vec<u32> = Vec::new();
                for p in &self.polys[zone as usize] {
                    for ring in std::iter::once(&p.exterior).chain(&p.holes) {
                        for l in ring_edges(ring) {
                            let env = edge_box(zone, l).geom().envelope();
                            for other in edge_tree.locate_in_envelope_intersecting(&env) {
                                let (oz, ol) = other.data;
                                if oz > zone && l.intersects(&ol) {
                                    others.push(oz);
                                }
                            }
                        }
                    }
                }
                others.sort_unstable();
                others.dedup();
                others.into_iter().map(move |o| (zone, o))
            })
            .collect();
        // Boundaries disjoint but boxes meeting: one may lie inside the other.
        let nested: Vec<(u32, u32)> = self
            .box_pairs()
            .into_par_iter()
            .filter(|pair| pairs.binary_search(pair).is_err() && self.nested(pair.0, pair.1))
            .collect();
        pairs.extend(nested);
        pairs.sort_unstable();
        pairs
    }

    /// Pairs of zones `(i, j)`, `i < j`, whose interiors overlap (share a region of positive
    /// area): a data problem to report, since homes there are ambiguous. Sorted.
    ///
    /// The [`touching_pairs`](Self::touching_pairs) are checked with geo's DE-9IM
    /// [`Relate`] (interior ∩ interior non-empty), in parallel.
    #[must_use]
    pub fn overlapping_pairs(&self) -> Vec<(u32, u32)> {
        use geo::coordinate_position::CoordPos;
        self.touching_pairs()
            .into_par_iter()
            .filter(|&(i, j)| {
                let (a, b) = (&self.zones[i as usize], &self.zones[j as usize]);
                a.relate(b).get(CoordPos::Inside, CoordPos::Inside)
                    != geo::dimensions::Dimensions::Empty
            })
            .collect()
    }

    /// Zone pairs `(i, j)`, `i < j`, with intersecting bounding boxes, sorted.
    fn box_pairs(&self) -> Vec<(u32, u32)> {
        let mut pairs: Vec<(u32, u32)> = self
            .tree
            .intersection_candidates_with_other_tree(&self.tree)
            .filter(|(a, b)| a.data < b.data)
            .map(|(a, b)| (a.data, b.data))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// For zones whose boundaries do not meet: whether one lies in the other (some polygon's
    /// first vertex is in the other zone; with disjoint boundaries a polygon is either wholly
    /// in or wholly out).
    fn nested(&self, i: u32, j: u32) -> bool {
        let first_in = |a: u32, b: u32| {
            self.polys[a as usize]
                .iter()
                .any(|p| self.zone_position(b, p.exterior.edges[0].start) != Pos::Outside)
        };
        first_in(i, j) || first_in(j, i)
    }
}

/// Each edge of a ring once (a ring stores an edge in every band it spans; keep the copy
/// in the band of its lower end).
fn ring_edges(ring: &Ring) -> impl Iterator<Item = Line<f64>> + '_ {
    (0..ring.n_bands as usize).flat_map(move |b| {
        ring.edges[ring.offsets[b]..ring.offsets[b + 1]]
            .iter()
            .filter(move |l| ring.band_range(l).0 == b)
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coordinate_position::{CoordPos, CoordinatePosition};
    use geo::{coord, point, LineString, Polygon};
    use proptest::prelude::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )
    }

    fn zone(polys: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
        MultiPolygon::new(polys)
    }

    fn index(zones: Vec<MultiPolygon<f64>>) -> ZoneIndex {
        match ZoneIndex::new(zones) {
            Ok(index) => index,
            Err(e) => panic!("{e}"),
        }
    }

    /// 2×2 grid of unit squares; zone `2 * row + col`.
    fn grid_2x2() -> ZoneIndex {
        let mut zones = Vec::new();
        for row in 0..2 {
            for col in 0..2 {
                let (x, y) = (f64::from(col), f64::from(row));
                zones.push(zone(vec![rect(x, y, x + 1.0, y + 1.0)]));
            }
        }
        index(zones)
    }

    fn check(index: &ZoneIndex, home: (f64, f64), zone: Option<u32>, kind: LocationKind) {
        let got = index.locate(point!(x: home.0, y: home.1));
        assert_eq!(got, Location { zone, kind }, "home {home:?}");
        assert_eq!(
            brute_force(index.zones(), home.into()),
            got,
            "oracle at {home:?}"
        );
    }

    /// The rules applied to geo's `CoordinatePosition`, polygon by polygon, for every zone.
    fn brute_force(zones: &[MultiPolygon<f64>], c: Coord<f64>) -> Location {
        let mut inside = Vec::new();
        let mut boundary = Vec::new();
        for (i, z) in zones.iter().enumerate() {
            let pos: Vec<CoordPos> = z.0.iter().map(|p| p.coordinate_position(&c)).collect();
            if pos.contains(&CoordPos::Inside) {
                inside.push(i as u32);
            } else if pos.contains(&CoordPos::OnBoundary) {
                boundary.push(i as u32);
            }
        }
        match (inside.len(), boundary.first()) {
            (0, None) => Location::OUTSIDE,
            (0, Some(&b)) => Location {
                zone: Some(b),
                kind: LocationKind::OnBoundary,
            },
            (1, _) => Location {
                zone: Some(inside[0]),
                kind: LocationKind::Inside,
            },
            (n, _) => Location {
                zone: Some(inside[0]),
                kind: LocationKind::Overlap { zones: n as u32 },
            },
        }
    }

    #[test]
    fn inside_and_outside() {
        let idx = grid_2x2();
        assert_eq!(idx.len(), 4);
        assert!(!idx.is_empty());
        check(&idx, (0.5, 0.5), Some(0), LocationKind::Inside);
        check(&idx, (1.5, 0.5), Some(1), LocationKind::Inside);
        check(&idx, (0.5, 1.5), Some(2), LocationKind::Inside);
        check(&idx, (1.5, 1.5), Some(3), LocationKind::Inside);
        check(&idx, (2.5, 0.5), None, LocationKind::Outside);
        check(&idx, (-0.001, 0.5), None, LocationKind::Outside);
    }

    #[test]
    fn shared_edge_goes_to_lowest_zone() {
        let idx = grid_2x2();
        check(&idx, (1.0, 0.5), Some(0), LocationKind::OnBoundary);
        check(&idx, (1.0, 1.5), Some(2), LocationKind::OnBoundary);
        check(&idx, (0.5, 1.0), Some(0), LocationKind::OnBoundary);
        check(&idx, (1.5, 1.0), Some(1), LocationKind::OnBoundary);
        // Outer edge and outer corner of a single zone.
        check(&idx, (2.0, 1.5), Some(3), LocationKind::OnBoundary);
        check(&idx, (2.0, 2.0), Some(3), LocationKind::OnBoundary);
    }

    #[test]
    fn shared_vertex_goes_to_lowest_zone() {
        let idx = grid_2x2();
        check(&idx, (1.0, 1.0), Some(0), LocationKind::OnBoundary);
        // Same squares, listed in reverse: the lowest index wins, whatever the geometry.
        let mut zones = idx.zones().to_vec();
        zones.reverse();
        let rev = index(zones);
        check(&rev, (1.0, 1.0), Some(0), LocationKind::OnBoundary);
        check(&rev, (1.0, 0.5), Some(2), LocationKind::OnBoundary);
    }

    #[test]
    fn overlap_is_counted_and_goes_to_lowest_zone() {
        let idx = index(vec![
            zone(vec![rect(0.0, 0.0, 2.0, 2.0)]),
            zone(vec![rect(1.0, 0.0, 3.0, 2.0)]),
            zone(vec![rect(0.5, 0.5, 1.5, 1.5)]),
        ]);
        check(
            &idx,
            (1.2, 1.2),
            Some(0),
            LocationKind::Overlap { zones: 3 },
        );
        check(
            &idx,
            (1.8, 1.8),
            Some(0),
            LocationKind::Overlap { zones: 2 },
        );
        check(&idx, (2.5, 1.0), Some(1), LocationKind::Inside);
        // In zone 1's interior, on zone 0's boundary: interior wins.
        check(&idx, (2.0, 1.0), Some(1), LocationKind::Inside);
        assert_eq!(idx.overlapping_pairs(), vec![(0, 1), (0, 2), (1, 2)]);
    }

    #[test]
    fn home_in_a_hole_is_outside_that_zone() {
        let ring = |x0: f64, y0: f64, x1: f64, y1: f64| {
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        };
        let donut = Polygon::new(ring(0.0, 0.0, 4.0, 4.0), vec![ring(1.0, 1.0, 3.0, 3.0)]);
        let island = rect(1.5, 1.5, 2.5, 2.5);
        let idx = index(vec![zone(vec![donut]), zone(vec![island])]);
        check(&idx, (0.5, 0.5), Some(0), LocationKind::Inside);
        check(&idx, (1.2, 1.2), None, LocationKind::Outside);
        check(&idx, (1.0, 2.0), Some(0), LocationKind::OnBoundary);
        check(&idx, (2.0, 2.0), Some(1), LocationKind::Inside);
        // The island does not touch the donut.
        assert!(idx.touching_pairs().is_empty());
    }

    #[test]
    fn multipolygon_parts() {
        // Zone 0 has two parts with zone 1 between them; the parts of zone 2 share an edge.
        let idx = index(vec![
            zone(vec![rect(0.0, 0.0, 1.0, 1.0), rect(2.0, 0.0, 3.0, 1.0)]),
            zone(vec![rect(1.0, 0.0, 2.0, 1.0)]),
            zone(vec![rect(5.0, 0.0, 6.0, 1.0), rect(6.0, 0.0, 7.0, 1.0)]),
        ]);
        check(&idx, (2.5, 0.5), Some(0), LocationKind::Inside);
        check(&idx, (1.5, 0.5), Some(1), LocationKind::Inside);
        check(&idx, (2.0, 0.5), Some(0), LocationKind::OnBoundary);
        // geo's mod-2 rule would call the internal edge of zone 2 outside; it is on zone 2.
        let c = coord! { x: 6.0, y: 0.5 };
        assert_eq!(idx.zones()[2].coordinate_position(&c), CoordPos::Outside);
        check(&idx, (6.0, 0.5), Some(2), LocationKind::OnBoundary);
        assert_eq!(idx.touching_pairs(), vec![(0, 1)]);
    }

    #[test]
    fn touching_pairs_of_a_2x2_grid() {
        let idx = grid_2x2();
        // Diagonal neighbours meet at the centre vertex.
        assert_eq!(
            idx.touching_pairs(),
            vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
        );
        assert!(idx.overlapping_pairs().is_empty());
    }

    #[test]
    fn nested_zone_touches_its_container() {
        let idx = index(vec![
            zone(vec![rect(0.0, 0.0, 10.0, 10.0)]),
            zone(vec![rect(20.0, 0.0, 21.0, 1.0)]),
            zone(vec![rect(4.0, 4.0, 5.0, 5.0)]),
        ]);
        assert_eq!(idx.touching_pairs(), vec![(0, 2)]);
        assert_eq!(idx.overlapping_pairs(), vec![(0, 2)]);
    }

    #[test]
    fn non_finite_coordinates_are_reported() {
        let bad = rect(0.0, 0.0, f64::NAN, 1.0);
        let err = ZoneIndex::new(vec![zone(vec![rect(0.0, 0.0, 1.0, 1.0)]), zone(vec![bad])])
            .err()
            .map(|e| e.0);
        let expected = |vertex| ZoneError::NonFiniteCoordinate {
            zone: 1,
            polygon: 0,
            ring: 0,
            vertex,
            x: f64::NAN,
            y: if vertex == 1 { 0.0 } else { 1.0 },
        };
        let got = err.unwrap_or_default();
        assert_eq!(got.len(), 2);
        // NaN != NaN: compare the messages.
        assert_eq!(got[0].to_string(), expected(1).to_string());
        assert_eq!(got[1].to_string(), expected(2).to_string());
        assert_eq!(
            got[0].to_string(),
            "zone 1: polygon 0: ring 0: vertex 1: coordinate (NaN, 0) is not finite"
        );
    }

    #[test]
    fn odd_homes_and_empty_zones() {
        let idx = index(vec![zone(vec![]), zone(vec![rect(0.0, 0.0, 1.0, 1.0)])]);
        check(&idx, (0.5, 0.5), Some(1), LocationKind::Inside);
        assert_eq!(idx.locate(point!(x: f64::NAN, y: 0.5)), Location::OUTSIDE);
        assert_eq!(
            idx.locate(point!(x: f64::INFINITY, y: 0.5)),
            Location::OUTSIDE
        );
        let empty = index(vec![]);
        assert!(empty.is_empty());
        assert_eq!(empty.locate(point!(x: 0.0, y: 0.0)), Location::OUTSIDE);
        assert!(empty.touching_pairs().is_empty());
    }

    #[test]
    fn index_is_shareable_across_threads() {
        fn is_send_sync<T: Send + Sync>() {}
        is_send_sync::<ZoneIndex>();
    }

    /// A grid of rectangular zones with integer cuts, plus a few overlapping rectangles.
    fn zones_strategy() -> impl Strategy<Value = Vec<MultiPolygon<f64>>> {
        let cuts = prop::collection::btree_set(0i32..12, 2..6);
        let extra = prop::collection::vec((0i32..11, 0i32..11, 1i32..4, 1i32..4), 0..3);
        (cuts.clone(), cuts, extra).prop_map(|(xs, ys, extra)| {
            let xs: Vec<f64> = xs.into_iter().map(f64::from).collect();
            let ys: Vec<f64> = ys.into_iter().map(f64::from).collect();
            let mut zones = Vec::new();
            for y in ys.windows(2) {
                for x in xs.windows(2) {
                    zones.push(zone(vec![rect(x[0], y[0], x[1], y[1])]));
                }
            }
            for (x, y, w, h) in extra {
                let (x, y) = (f64::from(x) + 0.5, f64::from(y));
                zones.push(zone(vec![rect(x, y, x + f64::from(w), y + f64::from(h))]));
            }
            zones
        })
    }

    /// Homes on a quarter-unit lattice (often on edges and vertices) and anywhere.
    fn homes_strategy() -> impl Strategy<Value = Vec<Point<f64>>> {
        let lattice = (-2i32..52, -2i32..52)
            .prop_map(|(x, y)| point!(x: f64::from(x) / 4.0, y: f64::from(y) / 4.0));
        let anywhere = (-1.0f64..13.0, -1.0f64..13.0).prop_map(|(x, y)| point!(x: x, y: y));
        prop::collection::vec(prop_oneof![lattice, anywhere], 1..200)
    }

    /// A star-shaped ring with integer vertices, big enough to get many bands.
    fn star_strategy() -> impl Strategy<Value = Polygon<f64>> {
        prop::collection::vec(1i32..20, 20..120).prop_map(|radii| {
            let n = radii.len() as f64;
            let coords: Vec<(f64, f64)> = radii
                .iter()
                .enumerate()
                .map(|(k, &r)| {
                    let a = std::f64::consts::TAU * k as f64 / n;
                    (
                        (f64::from(r) * a.cos()).round(),
                        (f64::from(r) * a.sin()).round(),
                    )
                })
                .collect();
            Polygon::new(LineString::from(coords), vec![])
        })
    }

    /// A ring whose every edge spans its whole height (a saw with 70k teeth) stores at most
    /// 4 copies per edge, and the copies are counted before they are stored: bucketing all
    /// 140k edges into each of 65,536 bands first would be 9.2 billion copies, past `u32`
    /// offsets and hundreds of GB.
    #[test]
    fn long_edges_cost_bounded_memory() {
        let teeth = 70_000;
        let mut coords = vec![(0.0, 0.0)];
        for i in 0..teeth {
            coords.push((f64::from(2 * i + 1), 1000.0));
            coords.push((f64::from(2 * i + 2), 0.0));
        }
        coords.extend([(f64::from(2 * teeth), -1.0), (0.0, -1.0)]);
        let saw = Polygon::new(LineString::from(coords), vec![]);
        let idx = index(vec![zone(vec![saw.clone()])]);
        let ring = &idx.polys[0][0].exterior;
        let n_edges = 2 * teeth as usize + 3;
        assert!(
            ring.edges.len() <= 4 * n_edges,
            "{} copies of {n_edges} edges in {} bands",
            ring.edges.len(),
            ring.n_bands
        );
        for c in [
            coord! { x: 1.0, y: 500.0 },
            coord! { x: 2.0, y: 500.0 },
            coord! { x: 39_999.0, y: 999.0 },
            coord! { x: 5.0, y: -0.5 },
            coord! { x: 5.0, y: -2.0 },
        ] {
            let expected = match saw.coordinate_position(&c) {
                CoordPos::Inside => Pos::Inside,
                CoordPos::OnBoundary => Pos::OnBoundary,
                CoordPos::Outside => Pos::Outside,
            };
            assert_eq!(idx.zone_position(0, c), expected, "at {c:?}");
        }
    }

    proptest! {
        /// Parallel = sequential = brute force over every zone with geo's `CoordinatePosition`.
        #[test]
        fn locate_agrees_with_brute_force(zones in zones_strategy(), homes in homes_strategy()) {
            let idx = index(zones.clone());
            let par = idx.locate_all(&homes);
            let seq = idx.locate_all_sequential(&homes);
            prop_assert_eq!(&par, &seq);
            for (h, got) in homes.iter().zip(&seq) {
                prop_assert_eq!(*got, brute_force(&zones, h.0), "home {:?}", h);
            }
        }

        /// The banded ring test equals geo's winding number on rings with many edges.
        #[test]
        fn banded_rings_agree_with_geo(star in star_strategy(), xs in prop::collection::vec((-21i32..21, -21i32..21), 50)) {
            let idx = index(vec![zone(vec![star.clone()])]);
            prop_assert!(idx.polys[0][0].exterior.n_bands > 1);
            for (x, y) in xs {
                for c in [coord! { x: f64::from(x), y: f64::from(y) }, coord! { x: f64::from(x) + 0.5, y: f64::from(y) / 3.0 }] {
                    let expected = match star.coordinate_position(&c) {
                        CoordPos::Inside => Pos::Inside,
                        CoordPos::OnBoundary => Pos::OnBoundary,
                        CoordPos::Outside => Pos::Outside,
                    };
                    prop_assert_eq!(idx.zone_position(0, c), expected, "at {:?}", c);
                }
            }
        }

        /// Touching pairs = pairs with a common point by geo's `Intersects`.
        #[test]
        fn touching_pairs_agree_with_geo(zones in zones_strategy()) {
            let idx = index(zones.clone());
            let mut expected = Vec::new();
            for i in 0..zones.len() {
                for j in i + 1..zones.len() {
                    if zones[i].intersects(&zones[j]) {
                        expected.push((i as u32, j as u32));
                    }
                }
            }
            prop_assert_eq!(idx.touching_pairs(), expected);
        }
    }
}
