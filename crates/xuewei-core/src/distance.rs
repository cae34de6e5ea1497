//! Distances between homes and schools, in metres.
//!
//! - [`great_circle_m`]: straight-line distance on the sphere (haversine).
//! - [`RoadNetwork`]: a road graph built from line features (e.g. an OSM extract), with a
//!   nearest-node index for snapping points onto it.
//! - [`RoadDistances`]: shortest road distances from a fixed set of sources (schools) to every
//!   node, so that the distance from any home to any school is a table lookup.
//!
//! ```
//! use geo::{line_string, point};
//! use xuewei_core::distance::{great_circle_m, RoadDistances, RoadNetwork};
//!
//! // An L-shaped street: east along lat 34.75, then north along lon 113.67.
//! let street = line_string![(x: 113.66, y: 34.75), (x: 113.67, y: 34.75), (x: 113.67, y: 34.76)];
//! let network = RoadNetwork::from_lines(&[(street, Some(30.0))])?;
//! assert_eq!((network.n_nodes(), network.n_edges()), (3, 2));
//!
//! let school = point!(x: 113.66, y: 34.75);
//! let home = point!(x: 113.67, y: 34.76);
//! let roads = RoadDistances::new(&network, &[school]);
//! let by_road = roads.metres(0, home);
//! let corner = point!(x: 113.67, y: 34.75);
//! let expected = great_circle_m(school, corner) + great_circle_m(corner, home);
//! assert!((by_road - expected).abs() < 0.01);
//! assert!(by_road > great_circle_m(school, home));
//! # Ok::<(), xuewei_core::distance::RoadErrors>(())
//! ```

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use geo::{Coord, Distance, Haversine, LineString, Point};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

use crate::error::{Problem, Problems};

/// Great-circle distance in metres between two WGS84 points (`x` = longitude, `y` = latitude,
/// degrees), by the haversine formula on a sphere of the IUGG mean Earth radius
/// R1 = 6 371 008.8 m (geo's [`Haversine`]).
///
/// Within a city the error against the WGS84 ellipsoid is below 0.5 % (the sphere is a little
/// short north–south and long east–west at mid latitudes); the same metric is used everywhere,
/// so rankings by distance are consistent.
///
/// ```
/// use geo::point;
/// use xuewei_core::distance::great_circle_m;
///
/// // One degree of latitude is about 111.2 km.
/// let d = great_circle_m(point!(x: 113.66, y: 34.0), point!(x: 113.66, y: 35.0));
/// assert!((d - 111_195.0).abs() < 1.0);
/// ```
#[must_use]
pub fn great_circle_m(a: Point<f64>, b: Point<f64>) -> f64 {
    Haversine.distance(a, b)
}

/// When a home and a source are in different components of the road network, the network
/// part of the route is taken as this factor times the great-circle distance between their
/// snapped nodes (a typical urban detour ratio).
pub const DETOUR_FACTOR: f64 = 1.4;

/// One problem in the road features given to [`RoadNetwork::from_lines`]. `feature` is the
/// position of the line in the input slice.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RoadError {
    /// A line has fewer than two points.
    #[error(
        "road feature {feature}: field \"geometry\": {points} point(s), a road needs at least 2"
    )]
    TooFewPoints {
        /// The feature at fault.
        feature: usize,
        /// How many points it has.
        points: usize,
    },
    /// A vertex has a NaN or infinite coordinate.
    #[error(
        "road feature {feature}: field \"geometry\"[{vertex}]: coordinate ({x}, {y}) is not finite"
    )]
    NonFiniteCoordinate {
        /// The feature at fault.
        feature: usize,
        /// Vertex index within the line.
        vertex: usize,
        /// Longitude as given.
        x: f64,
        /// Latitude as given.
        y: f64,
    },
    /// A vertex is not a WGS84 longitude/latitude (lon in [-180, 180], lat in [-90, 90]);
    /// often swapped axes or projected coordinates.
    #[error(
        "road feature {feature}: field \"geometry\"[{vertex}]: ({x}, {y}) is not a WGS84 lon/lat"
    )]
    CoordinateOutOfRange {
        /// The feature at fault.
        feature: usize,
        /// Vertex index within the line.
        vertex: usize,
        /// Longitude as given.
        x: f64,
        /// Latitude as given.
        y: f64,
    },
    /// A speed is zero, negative or not finite.
    #[error("road feature {feature}: field \"speed_kmh\": {speed_kmh} is not a positive speed")]
    InvalidSpeed {
        /// The feature at fault.
        feature: usize,
        /// The speed as given, km/h.
        speed_kmh: f64,
    },
    /// More features or distinct vertices than `u32` indices allow.
    #[error("road network: {count} {what} exceed the limit of {limit}")]
    TooLarge {
        /// What overflowed: `features` or `nodes`.
        what: &'static str,
        /// How many were given.
        count: usize,
        /// The largest number supported.
        limit: usize,
    },
}

/// Every problem found in the road features (never empty).
pub type RoadErrors = Problems<RoadError>;

impl Problem for RoadError {
    const SUBJECT: &'static str = "in the road network";
}

/// The most nodes a network can have.
const MAX_NODES: usize = u32::MAX as usize - 1;

/// One road segment: an edge of the [`RoadNetwork`] between two consecutive vertices of a
/// feature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Road {
    /// Great-circle length of the segment, metres.
    pub metres: f64,
    /// Speed of the feature, km/h, if given (for travel times; distances ignore it).
    pub speed_kmh: Option<f64>,
    /// The feature (input position) the segment comes from.
    pub feature: u32,
}

/// Nearest-node lookup: an R-tree of node coordinates in a local equirectangular
/// projection (longitude scaled by the cosine of the network's mean latitude), where
/// Euclidean nearness is nearness in metres to within a fraction of a percent over a city.
#[derive(Clone, Debug)]
struct Snapper {
    tree: RTree<GeomWithData<[f64; 2], u32>>,
    coords: Vec<Coord<f64>>,
    kx: f64,
}

impl Snapper {
    fn new(coords: Vec<Coord<f64>>) -> Self {
        let mean_lat = if coords.is_empty() {
            0.0
        } else {
            coords.iter().map(|c| c.y).sum::<f64>() / coords.len() as f64
        };
        let kx = mean_lat.to_radians().cos();
        let points = coords
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new([c.x * kx, c.y], i as u32))
            .collect();
        Self {
            tree: RTree::bulk_load(points),
            coords,
            kx,
        }
    }

    fn snap(&self, p: Point<f64>) -> Option<(u32, f64)> {
        if !(p.x().is_finite() && p.y().is_finite()) {
            return None;
        }
        let node = self.tree.nearest_neighbor(&[p.x() * self.kx, p.y()])?.data;
        Some((node, great_circle_m(p, self.coords[node as usize].into())))
    }
}

/// A road network: an undirected petgraph graph whose nodes are the distinct vertices of the
/// input lines and whose edges are the segments between consecutive vertices, weighted by
/// great-circle length ([`Road`]).
///
/// Lines are joined into a network only where they share a vertex with exactly the same
/// coordinates; two lines that cross without a common vertex (a bridge over a road) are not
/// connected. Node indices follow first appearance in the input.
#[derive(Clone, Debug)]
pub struct RoadNetwork {
    graph: UnGraph<Coord<f64>, Road, u32>,
    snapper: Snapper,
}

impl RoadNetwork {
    /// Builds the network from `(geometry, speed_kmh)` features (lon/lat WGS84). Repeated
    /// consecutive vertices add no edge; parallel segments are kept (the shorter wins in
    /// distances).
    ///
    /// # Errors
    ///
    /// [`RoadErrors`] with every problem found: a line with fewer than 2 points, a
    /// non-finite or out-of-range coordinate, a speed that is not positive and finite, more
    /// than `u32::MAX` nodes.
    ///
    /// # Complexity
    ///
    /// O(V log V) for V vertices (hashing plus the bulk-loaded R-tree).
    pub fn from_lines(lines: &[(LineString<f64>, Option<f64>)]) -> Result<Self, RoadErrors> {
        let mut errors = Vec::new();
        for (feature, (line, speed)) in lines.iter().enumerate() {
            if line.0.len() < 2 {
                errors.push(RoadError::TooFewPoints {
                    feature,
                    points: line.0.len(),
                });
            }
            for (vertex, c) in line.0.iter().enumerate() {
                let (x, y) = (c.x, c.y);
                if !(x.is_finite() && y.is_finite()) {
                    errors.push(RoadError::NonFiniteCoordinate {
                        feature,
                        vertex,
                        x,
                        y,
                    });
                } else if !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)) {
                    errors.push(RoadError::CoordinateOutOfRange {
                        feature,
                        vertex,
                        x,
                        y,
                    });
                }
            }
            if let Some(speed_kmh) = *speed {
                if !(speed_kmh.is_finite() && speed_kmh > 0.0) {
                    errors.push(RoadError::InvalidSpeed { feature, speed_kmh });
                }
            }
        }
        if u32::try_from(lines.len()).is_err() {
            errors.push(RoadError::TooLarge {
                what: "features",
                count: lines.len(),
                limit: u32::MAX as usize,
            });
        }
        if !errors.is_empty() {
            return Err(Problems(errors));
        }

        let mut graph = UnGraph::<Coord<f64>, Road, u32>::default();
        let mut node_of: HashMap<(u64, u64), NodeIndex<u32>> = HashMap::new();
        for (feature, (line, speed_kmh)) in lines.iter().enumerate() {
            let mut prev: Option<NodeIndex<u32>> = None;
            for c in &line.0 {
                // `+ 0.0` turns -0.0 into 0.0 so both spellings are one vertex.
                let key = ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits());
                let node = match node_of.get(&key) {
                    Some(&n) => n,
                    None => {
                        // petgraph keeps `u32::MAX` as its "no node" sentinel.
                        if graph.node_count() >= MAX_NODES {
                            return Err(Problems(vec![RoadError::TooLarge {
                                what: "nodes",
                                count: graph.node_count() + 1,
                                limit: MAX_NODES,
                            }]));
                        }
                        let n = graph.add_node(*c);
                        node_of.insert(key, n);
                        n
                    }
                };
                if let Some(p) = prev.filter(|&p| p != node) {
                    let road = Road {
                        metres: great_circle_m(graph[p].into(), (*c).into()),
                        speed_kmh: *speed_kmh,
                        feature: feature as u32,
                    };
                    graph.add_edge(p, node, road);
                }
                prev = Some(node);
            }
        }
        let snapper = Snapper::new(graph.node_weights().copied().collect());
        Ok(Self { graph, snapper })
    }

    /// Number of nodes (distinct vertices).
    #[must_use]
    pub fn n_nodes(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges (segments).
    #[must_use]
    pub fn n_edges(&self) -> usize {
        self.graph.edge_count()
    }

    /// The underlying graph: node weights are lon/lat coordinates, edge weights [`Road`]s.
    #[must_use]
    pub fn graph(&self) -> &UnGraph<Coord<f64>, Road, u32> {
        &self.graph
    }

    /// The coordinates of a node.
    ///
    /// # Panics
    ///
    /// If `node >= n_nodes()`.
    #[must_use]
    pub fn node_coord(&self, node: u32) -> Coord<f64> {
        self.snapper.coords[node as usize]
    }

    /// The node nearest to `p` and the great-circle distance to it in metres; `None` for an
    /// empty network or a non-finite point.
    ///
    /// Nearness is judged in a local equirectangular projection centred on the network's
    /// mean latitude, which agrees with great-circle nearness up to ties within a fraction of
    /// a percent over a city.
    ///
    /// # Complexity
    ///
    /// O(log N) expected for N nodes.
    #[must_use]
    pub fn snap(&self, p: Point<f64>) -> Option<(u32, f64)> {
        self.snapper.snap(p)
    }
}

/// Shortest road distances from a fixed set of sources (schools) to any point.
///
/// Each source is snapped to its nearest node; one Dijkstra per source fills a row of a
/// sources × nodes table of `f32` metres (4 · S · N bytes: 500 schools over 200 000 nodes
/// is 400 MB). The distance from a source to a home is then
///
/// `offset(home → its node) + network(source node → home node) + offset(source → its node)`,
///
/// where offsets are great-circle metres. If the two nodes lie in different components of
/// the network, the network part is [`DETOUR_FACTOR`] × the great-circle distance between
/// the two nodes (so distances stay finite and comparable); if the network is empty, the
/// whole distance is [`DETOUR_FACTOR`] × the great-circle distance from source to home.
/// [`network_metres`](Self::network_metres) tells whether a node is reachable.
#[derive(Clone, Debug)]
pub struct RoadDistances {
    snapper: Snapper,
    sources: Vec<Point<f64>>,
    /// Per source: its node and its offset to it, `None` when the network is empty.
    source_nodes: Vec<Option<(u32, f64)>>,
    n_nodes: usize,
    /// Row-major sources × nodes, metres; `INFINITY` when unreachable.
    table: Vec<f32>,
}

impl RoadDistances {
    /// Runs one Dijkstra per source, in parallel over sources (rayon). The result does not
    /// depend on the number of threads: each row is computed by one sequential Dijkstra.
    ///
    /// # Complexity
    ///
    /// O(S · (E + N) log N) time for S sources, N nodes and E edges; O(S · N) memory.
    #[must_use]
    pub fn new(network: &RoadNetwork, sources: &[Point<f64>]) -> Self {
        Self::build(network, sources, true)
    }

    /// Sequential twin of [`new`](Self::new): test oracle and benchmark baseline.
    #[must_use]
    pub fn new_sequential(network: &RoadNetwork, sources: &[Point<f64>]) -> Self {
        Self::build(network, sources, false)
    }

    fn build(network: &RoadNetwork, sources: &[Point<f64>], parallel: bool) -> Self {
        let n_nodes = network.n_nodes();
        let adjacency = Csr::new(&network.graph);
        let source_nodes: Vec<Option<(u32, f64)>> =
            sources.iter().map(|&s| network.snap(s)).collect();
        let mut table = vec![f32::INFINITY; sources.len() * n_nodes];
        if n_nodes > 0 {
            let run = |scratch: &mut Scratch, (row, src): (&mut [f32], &Option<(u32, f64)>)| {
                if let Some((node, _)) = *src {
                    adjacency.dijkstra(node, scratch, row);
                }
            };
            if parallel {
                table
                    .par_chunks_mut(n_nodes)
                    .zip(source_nodes.par_iter())
                    .for_each_init(|| Scratch::new(n_nodes), run);
            } else {
                let mut scratch = Scratch::new(n_nodes);
                table
                    .chunks_mut(n_nodes)
                    .zip(source_nodes.iter())
                    .for_each(|pair| run(&mut scratch, pair));
            }
        }
        Self {
            snapper: network.snapper.clone(),
            sources: sources.to_vec(),
            source_nodes,
            n_nodes,
            table,
        }
    }

    /// Number of sources.
    #[must_use]
    pub fn n_sources(&self) -> usize {
        self.sources.len()
    }

    /// Road distance in metres from source `source` to `home` (see the type docs for the
    /// offsets and the fallback when they are not connected).
    ///
    /// # Panics
    ///
    /// If `source >= n_sources()`.
    ///
    /// # Complexity
    ///
    /// O(log N): one snap and one table lookup.
    #[must_use]
    pub fn metres(&self, source: usize, home: Point<f64>) -> f64 {
        match self.snapper.snap(home) {
            Some((node, offset_m)) => self.metres_from_node(source, node, offset_m),
            None => DETOUR_FACTOR * great_circle_m(self.sources[source], home),
        }
    }

    /// Like [`metres`](Self::metres) for a home already snapped to `node` at `offset_m`
    /// metres (from [`RoadNetwork::snap`] on the same network), for callers that snap each
    /// home once and query many sources. O(1).
    ///
    /// # Panics
    ///
    /// If `source >= n_sources()` or `node >= n_nodes` of the network.
    #[must_use]
    pub fn metres_from_node(&self, source: usize, node: u32, offset_m: f64) -> f64 {
        let node_point: Point<f64> = self.snapper.coords[node as usize].into();
        let Some((source_node, source_offset)) = self.source_nodes[source] else {
            return offset_m + DETOUR_FACTOR * great_circle_m(self.sources[source], node_point);
        };
        let network = match self.network_metres(source, node) {
            Some(m) => m,
            None => {
                let from: Point<f64> = self.snapper.coords[source_node as usize].into();
                DETOUR_FACTOR * great_circle_m(from, node_point)
            }
        };
        source_offset + network + offset_m
    }

    /// Shortest network distance in metres from the source's node to `node`, `None` if
    /// unreachable (another component).
    ///
    /// # Panics
    ///
    /// If `source >= n_sources()` or `node >= n_nodes` of the network.
    #[must_use]
    pub fn network_metres(&self, source: usize, node: u32) -> Option<f64> {
        assert!((node as usize) < self.n_nodes, "node {node} out of range");
        let d = self.table[source * self.n_nodes + node as usize];
        d.is_finite().then_some(f64::from(d))
    }

    /// The source with the smallest [`metres`](Self::metres) to `home` and that distance;
    /// ties go to the lowest source index; `None` without sources. O(log N + S).
    #[must_use]
    pub fn nearest_source(&self, home: Point<f64>) -> Option<(usize, f64)> {
        let snapped = self.snapper.snap(home);
        let mut best: Option<(usize, f64)> = None;
        for source in 0..self.sources.len() {
            let m = match snapped {
                Some((node, offset_m)) => self.metres_from_node(source, node, offset_m),
                None => DETOUR_FACTOR * great_circle_m(self.sources[source], home),
            };
            if best.is_none_or(|(_, b)| m < b) {
                best = Some((source, m));
            }
        }
        best
    }
}

/// Adjacency in CSR form, built once from the petgraph graph for fast Dijkstra.
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<(u32, f64)>,
}

impl Csr {
    fn new(graph: &UnGraph<Coord<f64>, Road, u32>) -> Self {
        let mut offsets = Vec::with_capacity(graph.node_count() + 1);
        let mut targets = Vec::with_capacity(2 * graph.edge_count());
        offsets.push(0);
        for node in graph.node_indices() {
            for e in graph.edges(node) {
                let other = if e.source() == node {
                    e.target()
                } else {
                    e.source()
                };
                targets.push((other.index() as u32, e.weight().metres));
            }
            offsets.push(targets.len() as u32);
        }
        Self { offsets, targets }
    }

    /// Dijkstra from `source`, writing metres (as `f32`) into `row`, `INFINITY` if
    /// unreachable. Distances are non-negative finite `f64`, whose bit patterns order like
    /// the values, so the heap keys are `u64`.
    fn dijkstra(&self, source: u32, scratch: &mut Scratch, row: &mut [f32]) {
        let Scratch { dist, heap } = scratch;
        dist.fill(f64::INFINITY);
        heap.clear();
        dist[source as usize] = 0.0;
        heap.push(Reverse((0f64.to_bits(), source)));
        while let Some(Reverse((bits, node))) = heap.pop() {
            let d = f64::from_bits(bits);
            if d > dist[node as usize] {
                continue;
            }
            let range =
                self.offsets[node as usize] as usize..self.offsets[node as usize + 1] as usize;
            for &(next, w) in &self.targets[range] {
                let nd = d + w;
                if nd < dist[next as usize] {
                    dist[next as usize] = nd;
                    heap.push(Reverse((nd.to_bits(), next)));
                }
            }
        }
        for (out, &d) in row.iter_mut().zip(dist.iter()) {
            *out = d as f32;
        }
    }
}

/// Per-worker Dijkstra buffers, reused across sources.
struct Scratch {
    dist: Vec<f64>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Scratch {
    fn new(n_nodes: usize) -> Self {
        Self {
            dist: vec![f64::INFINITY; n_nodes],
            heap: BinaryHeap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, point};
    use proptest::prelude::*;

    const LON: f64 = 113.66;
    const LAT: f64 = 34.75;
    const STEP: f64 = 0.01;

    /// Grid coordinate `(i, j)` steps east and north of (LON, LAT).
    fn at(i: f64, j: f64) -> Coord<f64> {
        coord! { x: LON + i * STEP, y: LAT + j * STEP }
    }

    fn line(points: &[(f64, f64)]) -> LineString<f64> {
        points.iter().map(|&(i, j)| at(i, j)).collect()
    }

    fn gc(a: Coord<f64>, b: Coord<f64>) -> f64 {
        great_circle_m(a.into(), b.into())
    }

    fn network(lines: &[(LineString<f64>, Option<f64>)]) -> RoadNetwork {
        match RoadNetwork::from_lines(lines) {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        }
    }

    /// Equal up to the `f32` rounding of the distance table.
    fn check_close(got: f64, expected: f64) {
        assert!(
            (got - expected).abs() <= 1e-6 * expected.abs() + 1e-3,
            "got {got}, expected {expected}"
        );
    }

    /// A(0,0) B(1,0) C(1,1) D(0,1) E(2,1): square A-B-C-D with a spur C-E. Node ids follow
    /// first appearance: A 0, B 1, C 2, D 3, E 4.
    fn square_with_spur() -> RoadNetwork {
        network(&[
            (line(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]), Some(40.0)),
            (line(&[(0.0, 0.0), (0.0, 1.0)]), None),
            (line(&[(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)]), Some(20.0)),
        ])
    }

    #[test]
    fn one_degree_of_latitude() {
        let d = great_circle_m(point!(x: LON, y: 34.0), point!(x: LON, y: 35.0));
        assert!((d - 111_200.0).abs() < 0.005 * 111_200.0);
        check_close(d, 6_371_008.8 * std::f64::consts::PI / 180.0);
        assert_eq!(
            great_circle_m(point!(x: LON, y: LAT), point!(x: LON, y: LAT)),
            0.0
        );
    }

    #[test]
    fn shortest_paths_on_a_hand_made_network() {
        let net = square_with_spur();
        assert_eq!((net.n_nodes(), net.n_edges()), (5, 5));
        let [a, b, c, d, e] = [
            at(0.0, 0.0),
            at(1.0, 0.0),
            at(1.0, 1.0),
            at(0.0, 1.0),
            at(2.0, 1.0),
        ];
        for (node, coord) in [a, b, c, d, e].into_iter().enumerate() {
            assert_eq!(net.node_coord(node as u32), coord);
        }
        // The northern side is shorter (higher latitude), so A → C goes through D.
        assert!(gc(a, d) + gc(d, c) < gc(a, b) + gc(b, c));
        let roads = RoadDistances::new(&net, &[a.into()]);
        let expected = [
            0.0,
            gc(a, b),
            gc(a, d) + gc(d, c),
            gc(a, d),
            gc(a, d) + gc(d, c) + gc(c, e),
        ];
        for (node, want) in expected.into_iter().enumerate() {
            check_close(
                roads.network_metres(0, node as u32).unwrap_or(f64::NAN),
                want,
            );
            check_close(roads.metres(0, net.node_coord(node as u32).into()), want);
        }
        assert_eq!(
            net.graph().edge_weight(0.into()).map(|r| r.speed_kmh),
            Some(Some(40.0))
        );
    }

    #[test]
    fn offsets_are_added_at_both_ends() {
        let net = square_with_spur();
        let school = coord! { x: LON - 0.001, y: LAT - 0.0005 }; // near A
        let home = coord! { x: LON + 2.0 * STEP + 0.001, y: LAT + STEP + 0.0002 }; // near E
        let roads = RoadDistances::new(&net, &[school.into()]);
        let (a, d, c, e) = (at(0.0, 0.0), at(0.0, 1.0), at(1.0, 1.0), at(2.0, 1.0));
        let want = gc(school, a) + gc(a, d) + gc(d, c) + gc(c, e) + gc(e, home);
        check_close(roads.metres(0, home.into()), want);
        let snapped = net.snap(home.into());
        assert_eq!(snapped.map(|s| s.0), Some(4));
        let (node, offset) = snapped.unwrap_or_default();
        check_close(offset, gc(e, home));
        check_close(roads.metres_from_node(0, node, offset), want);
    }

    #[test]
    fn snapping_picks_the_nearest_node() {
        let net = square_with_spur();
        let p = at(1.2, 0.3);
        assert_eq!(net.snap(p.into()), Some((1, gc(p, at(1.0, 0.0)))));
        let p = at(1.6, 1.1);
        assert_eq!(net.snap(p.into()), Some((4, gc(p, at(2.0, 1.0)))));
        assert_eq!(net.snap(point!(x: f64::NAN, y: LAT)), None);
        let empty = network(&[]);
        assert_eq!(
            (empty.n_nodes(), empty.snap(point!(x: LON, y: LAT))),
            (0, None)
        );
    }

    #[test]
    fn lines_join_only_at_shared_vertices() {
        // Two streets crossing at (1, 1) without a common vertex, then with one.
        let crossing = network(&[
            (line(&[(0.0, 1.0), (2.0, 1.0)]), None),
            (line(&[(1.0, 0.0), (1.0, 2.0)]), None),
        ]);
        assert_eq!((crossing.n_nodes(), crossing.n_edges()), (4, 2));
        let joined = network(&[
            (line(&[(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)]), None),
            (
                line(&[(1.0, 0.0), (1.0, 1.0), (1.0, 2.0), (1.0, 2.0)]),
                None,
            ),
        ]);
        assert_eq!((joined.n_nodes(), joined.n_edges()), (5, 4));
        // -0.0 and 0.0 are the same vertex.
        let signed = network(&[
            (LineString::from(vec![(0.0, 0.0), (0.01, 0.0)]), None),
            (LineString::from(vec![(-0.0, -0.0), (0.0, 0.01)]), None),
        ]);
        assert_eq!(signed.n_nodes(), 3);
    }

    #[test]
    fn disconnected_components_fall_back_to_a_detour_factor() {
        let net = network(&[
            (line(&[(0.0, 0.0), (1.0, 0.0)]), None),
            (line(&[(5.0, 5.0), (6.0, 5.0)]), None),
        ]);
        let school = at(-0.1, 0.0);
        let home = at(6.0, 5.2);
        let roads = RoadDistances::new(&net, &[school.into()]);
        assert_eq!(roads.network_metres(0, 3), None);
        let (s_node, h_node) = (at(0.0, 0.0), at(6.0, 5.0));
        let want = gc(school, s_node) + DETOUR_FACTOR * gc(s_node, h_node) + gc(h_node, home);
        check_close(roads.metres(0, home.into()), want);
        assert!(roads.metres(0, home.into()).is_finite());
        // An empty network: the detour factor times the great-circle distance.
        let empty = RoadDistances::new(&network(&[]), &[school.into()]);
        check_close(
            empty.metres(0, home.into()),
            DETOUR_FACTOR * gc(school, home),
        );
    }

    #[test]
    fn nearest_source_is_the_closest_by_road() {
        let net = square_with_spur();
        let schools = [at(0.0, 0.0).into(), at(2.0, 1.0).into()];
        let roads = RoadDistances::new(&net, &schools);
        assert_eq!(roads.n_sources(), 2);
        let near_e = at(1.9, 1.0).into();
        assert_eq!(roads.nearest_source(near_e).map(|s| s.0), Some(1));
        assert_eq!(
            roads.nearest_source(at(0.0, 0.4).into()).map(|s| s.0),
            Some(0)
        );
        let none = RoadDistances::new(&net, &[]);
        assert_eq!(none.nearest_source(near_e), None);
    }

    #[test]
    fn bad_features_are_all_reported() {
        let ok = line(&[(0.0, 0.0), (1.0, 0.0)]);
        let lines = vec![
            (ok.clone(), Some(30.0)),
            (line(&[(0.0, 0.0)]), None),
            (LineString::from(vec![(LON, LAT), (f64::NAN, LAT)]), None),
            (ok.clone(), Some(0.0)),
            (LineString::from(vec![(LON, LAT), (LAT, 200.0)]), Some(-5.0)),
            (ok, Some(f64::INFINITY)),
        ];
        let errors = match RoadNetwork::from_lines(&lines) {
            Ok(_) => panic!("accepted bad features"),
            Err(e) => e,
        };
        let messages: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "road feature 1: field \"geometry\": 1 point(s), a road needs at least 2",
                "road feature 2: field \"geometry\"[1]: coordinate (NaN, 34.75) is not finite",
                "road feature 3: field \"speed_kmh\": 0 is not a positive speed",
                "road feature 4: field \"geometry\"[1]: (34.75, 200) is not a WGS84 lon/lat",
                "road feature 4: field \"speed_kmh\": -5 is not a positive speed",
                "road feature 5: field \"speed_kmh\": inf is not a positive speed",
            ]
        );
        assert!(errors
            .to_string()
            .starts_with("6 problems in the road network\n  road feature 1"));
    }

    /// A random grid network: nodes at grid points, each grid segment present or not.
    fn grid_strategy() -> impl Strategy<Value = Vec<(LineString<f64>, Option<f64>)>> {
        (2usize..6, 2usize..6)
            .prop_flat_map(|(nx, ny)| {
                let n_segments = (nx - 1) * ny + nx * (ny - 1);
                (
                    Just((nx, ny)),
                    prop::collection::vec(prop::bool::weighted(0.75), n_segments),
                )
            })
            .prop_map(|((nx, ny), present)| {
                let mut segments = Vec::new();
                for j in 0..ny {
                    for i in 0..nx {
                        let (x, y) = (i as f64, j as f64);
                        if i + 1 < nx {
                            segments.push(line(&[(x, y), (x + 1.0, y)]));
                        }
                        if j + 1 < ny {
                            segments.push(line(&[(x, y), (x, y + 1.0)]));
                        }
                    }
                }
                segments
                    .into_iter()
                    .zip(present)
                    .filter(|(_, p)| *p)
                    .map(|(l, _)| (l, None))
                    .collect()
            })
    }

    /// All-pairs shortest paths by Floyd–Warshall: the oracle for Dijkstra.
    fn floyd_warshall(net: &RoadNetwork) -> Vec<Vec<f64>> {
        let n = net.n_nodes();
        let mut d = vec![vec![f64::INFINITY; n]; n];
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0.0;
        }
        for e in net.graph().edge_references() {
            let (a, b) = (e.source().index(), e.target().index());
            let w = e.weight().metres.min(d[a][b]);
            d[a][b] = w;
            d[b][a] = w;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    let via = d[i][k] + d[k][j];
                    if via < d[i][j] {
                        d[i][j] = via;
                    }
                }
            }
        }
        d
    }

    proptest! {
        /// Road distance ≥ great-circle distance between the snapped nodes (the triangle
        /// inequality on the sphere); Dijkstra = Floyd–Warshall; parallel = sequential.
        #[test]
        fn road_distances_are_shortest_paths_and_at_least_great_circle(
            lines in grid_strategy(),
            sources in prop::collection::vec((-0.5f64..5.5, -0.5f64..5.5), 1..4),
        ) {
            prop_assume!(!lines.is_empty());
            let net = network(&lines);
            let sources: Vec<Point<f64>> = sources.iter().map(|&(i, j)| at(i, j).into()).collect();
            let roads = RoadDistances::new(&net, &sources);
            prop_assert_eq!(&roads.table, &RoadDistances::new_sequential(&net, &sources).table);
            let oracle = floyd_warshall(&net);
            for (s, &source) in sources.iter().enumerate() {
                let Some((s_node, s_off)) = net.snap(source) else {
                    return Err(TestCaseError::fail("source not snapped"));
                };
                for node in 0..net.n_nodes() as u32 {
                    let want = oracle[s_node as usize][node as usize];
                    let straight = gc(net.node_coord(s_node), net.node_coord(node));
                    match roads.network_metres(s, node) {
                        Some(m) => {
                            prop_assert!((m - want).abs() <= 1e-6 * want + 1e-3, "{} vs {}", m, want);
                            prop_assert!(m >= straight * (1.0 - 1e-6) - 1e-3, "{} < {}", m, straight);
                        }
                        None => prop_assert!(want.is_infinite()),
                    }
                    let home: Point<f64> = net.node_coord(node).into();
                    let total = roads.metres(s, home);
                    prop_assert!(total >= great_circle_m(source, home) * (1.0 - 1e-6) - 1e-3);
                    let network = roads.network_metres(s, node).unwrap_or(DETOUR_FACTOR * straight);
                    prop_assert!((total - (s_off + network)).abs() < 1e-6);
                    prop_assert_eq!(total, roads.metres_from_node(s, node, 0.0));
                }
            }
        }
    }
}
