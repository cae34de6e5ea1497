//! Exact geometry on a micro-degree lattice: rectangles, k-d partitions and the frame that
//! turns kilometres into degrees.
//!
//! Every coordinate the generator makes is an integer number of micro-degrees (1e-6°), so
//! written with six decimals (as `xuewei_io::synth` writes it) it is exact and reads back as
//! the same `f64`. Zone and
//! district edges lie on even micro-degrees, homes and blocks on odd ones: no home ever lies
//! on a boundary, and zones that share an edge share it exactly (no gaps, no overlaps).

/// A point in micro-degrees (WGS84 longitude and latitude × 1e6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Micro {
    /// Longitude × 1e6.
    pub lon: i64,
    /// Latitude × 1e6.
    pub lat: i64,
}

impl Micro {
    /// Longitude in degrees.
    #[must_use]
    pub fn lon_deg(self) -> f64 {
        self.lon as f64 / 1e6
    }
    /// Latitude in degrees.
    #[must_use]
    pub fn lat_deg(self) -> f64 {
        self.lat as f64 / 1e6
    }
}

/// An axis-aligned rectangle in micro-degrees, edges on even values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// West edge.
    pub x0: i64,
    /// South edge.
    pub y0: i64,
    /// East edge.
    pub x1: i64,
    /// North edge.
    pub y1: i64,
}

impl Rect {
    /// Whether a point lies strictly inside (points on odd values never lie on an edge).
    #[must_use]
    pub fn contains(&self, p: Micro) -> bool {
        self.x0 < p.lon && p.lon < self.x1 && self.y0 < p.lat && p.lat < self.y1
    }

    /// The centre (not snapped).
    #[must_use]
    pub fn centre(&self) -> Micro {
        Micro {
            lon: (self.x0 + self.x1) / 2,
            lat: (self.y0 + self.y1) / 2,
        }
    }

    /// The closed ring of the corners, counter-clockwise from the south-west.
    #[must_use]
    pub fn ring(&self) -> [Micro; 5] {
        let c = |lon, lat| Micro { lon, lat };
        [
            c(self.x0, self.y0),
            c(self.x1, self.y0),
            c(self.x1, self.y1),
            c(self.x0, self.y1),
            c(self.x0, self.y0),
        ]
    }

    /// Clamps a point to lie strictly inside, on odd values.
    #[must_use]
    pub fn clamp_inside(&self, p: Micro) -> Micro {
        let clamp = |v: i64, lo: i64, hi: i64| odd(v.clamp(lo + 1, hi - 1)).clamp(lo + 1, hi - 1);
        Micro {
            lon: clamp(p.lon, self.x0, self.x1),
            lat: clamp(p.lat, self.y0, self.y1),
        }
    }
}

/// Rounds to the nearest even integer at or below.
pub(crate) fn even(v: i64) -> i64 {
    v - v.rem_euclid(2)
}

/// Makes a value odd (adds one to even values).
pub(crate) fn odd(v: i64) -> i64 {
    if v.rem_euclid(2) == 0 {
        v + 1
    } else {
        v
    }
}

/// Kilometres ↔ degrees around the centre (equirectangular; ample within 100 km).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Centre longitude (degrees).
    pub lon0: f64,
    /// Centre latitude (degrees).
    pub lat0: f64,
    /// Degrees of longitude per km.
    pub kx: f64,
    /// Degrees of latitude per km.
    pub ky: f64,
}

impl Frame {
    /// The frame around a centre.
    #[must_use]
    pub fn new(lon0: f64, lat0: f64) -> Self {
        Self {
            lon0,
            lat0,
            kx: 1.0 / (111.320 * lat0.to_radians().cos()),
            ky: 1.0 / 110.574,
        }
    }

    /// Micro-degrees of longitude of a point `x` km east of the centre.
    #[must_use]
    pub fn lon(&self, x_km: f64) -> i64 {
        ((self.lon0 + x_km * self.kx) * 1e6).round() as i64
    }

    /// Micro-degrees of latitude of a point `y` km north of the centre.
    #[must_use]
    pub fn lat(&self, y_km: f64) -> i64 {
        ((self.lat0 + y_km * self.ky) * 1e6).round() as i64
    }

    /// A rectangle given in km, edges snapped to even micro-degrees.
    #[must_use]
    pub fn rect(&self, r: [f64; 4]) -> Rect {
        Rect {
            x0: even(self.lon(r[0])),
            y0: even(self.lat(r[1])),
            x1: even(self.lon(r[2])),
            y1: even(self.lat(r[3])),
        }
    }

    /// A point given in km, snapped to odd micro-degrees.
    #[must_use]
    pub fn point(&self, x_km: f64, y_km: f64) -> Micro {
        Micro {
            lon: odd(self.lon(x_km)),
            lat: odd(self.lat(y_km)),
        }
    }

    /// A lattice point given in km, snapped to even micro-degrees (road vertices).
    #[must_use]
    pub fn vertex(&self, x_km: f64, y_km: f64) -> Micro {
        Micro {
            lon: even(self.lon(x_km)),
            lat: even(self.lat(y_km)),
        }
    }

    /// Km east and north of the centre.
    #[must_use]
    pub fn km(&self, p: Micro) -> (f64, f64) {
        (
            (p.lon_deg() - self.lon0) / self.kx,
            (p.lat_deg() - self.lat0) / self.ky,
        )
    }

    /// Distance in km between two points.
    #[must_use]
    pub fn dist_km(&self, a: Micro, b: Micro) -> f64 {
        let (ax, ay) = self.km(a);
        let (bx, by) = self.km(b);
        (ax - bx).hypot(ay - by)
    }

    /// Width of a rectangle in km.
    fn width_km(&self, r: &Rect) -> f64 {
        (r.x1 - r.x0) as f64 / 1e6 / self.kx
    }

    /// Height of a rectangle in km.
    fn height_km(&self, r: &Rect) -> f64 {
        (r.y1 - r.y0) as f64 / 1e6 / self.ky
    }
}

/// A k-d partition of a rectangle: leaves carry their index in the leaf list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// A leaf (zone or area index).
    Leaf(u32),
    /// A cut: points with coordinate below `cut` go `lo`.
    Split {
        /// Cut along longitude (a vertical line) when true, latitude otherwise.
        along_lon: bool,
        /// The cut, an even micro-degree.
        cut: i64,
        /// West or south side.
        lo: Box<Node>,
        /// East or north side.
        hi: Box<Node>,
    },
}

impl Node {
    /// The leaf containing a point.
    pub(crate) fn locate(&self, p: Micro) -> u32 {
        let mut node = self;
        loop {
            match node {
                Node::Leaf(i) => return *i,
                Node::Split {
                    along_lon,
                    cut,
                    lo,
                    hi,
                } => {
                    let v = if *along_lon { p.lon } else { p.lat };
                    node = if v < *cut { lo } else { hi };
                }
            }
        }
    }

    /// The same tree with every leaf index shifted by `by`.
    pub(crate) fn offset(self, by: u32) -> Node {
        match self {
            Node::Leaf(i) => Node::Leaf(i + by),
            Node::Split {
                along_lon,
                cut,
                lo,
                hi,
            } => Node::Split {
                along_lon,
                cut,
                lo: Box::new(lo.offset(by)),
                hi: Box::new(hi.offset(by)),
            },
        }
    }
}

/// A weighted point for partitioning.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Weighted {
    pub p: Micro,
    pub w: f64,
}

/// Splits `rect` holding `n` units into leaves of one unit each (or of 2–3 units when
/// `stop` says so), cutting along the longer side so each side's weight is proportional to
/// its units. Leaves are appended to `leaves` as (rect, units) in depth-first order, west or
/// south first. O(P log P · depth) for P points.
pub(crate) fn partition(
    frame: &Frame,
    rect: Rect,
    n: u32,
    points: &mut [Weighted],
    stop: &mut dyn FnMut(&Rect, u32) -> bool,
    leaves: &mut Vec<(Rect, u32)>,
) -> Node {
    if n <= 1 || stop(&rect, n) {
        leaves.push((rect, n));
        return Node::Leaf(leaves.len() as u32 - 1);
    }
    let n1 = n / 2;
    let along_lon = frame.width_km(&rect) >= frame.height_km(&rect);
    let key = |w: &Weighted| if along_lon { w.p.lon } else { w.p.lat };
    let (lo, hi) = if along_lon {
        (rect.x0, rect.x1)
    } else {
        (rect.y0, rect.y1)
    };
    points.sort_by(|a, b| key(a).cmp(&key(b)).then(a.p.cmp(&b.p)));
    let total: f64 = points.iter().map(|w| w.w).sum();
    let share = f64::from(n1) / f64::from(n);
    let mut cut = if total > 0.0 {
        let target = total * share;
        let mut cum = 0.0;
        let mut k = points.len() - 1;
        for (i, w) in points.iter().enumerate() {
            cum += w.w;
            if cum >= target {
                k = i;
                break;
            }
        }
        match points.get(k + 1) {
            Some(next) => (key(&points[k]) + key(next)) / 2,
            None => key(&points[k]) + 1,
        }
    } else {
        lo + ((hi - lo) as f64 * share) as i64
    };
    // Keep both sides at least a quarter of their proportional width.
    let span = (hi - lo) as f64;
    let min_lo = lo + (span * share * 0.25) as i64;
    let max_hi = hi - (span * (1.0 - share) * 0.25) as i64;
    cut = even(cut.clamp(min_lo, max_hi.max(min_lo)));
    if cut <= lo || cut >= hi {
        cut = even(lo + (hi - lo) / 2);
    }
    let split = points.partition_point(|w| key(w) < cut);
    let (a, b) = points.split_at_mut(split);
    let (ra, rb) = if along_lon {
        (Rect { x1: cut, ..rect }, Rect { x0: cut, ..rect })
    } else {
        (Rect { y1: cut, ..rect }, Rect { y0: cut, ..rect })
    };
    let lo_node = partition(frame, ra, n1, a, stop, leaves);
    let hi_node = partition(frame, rb, n - n1, b, stop, leaves);
    Node::Split {
        along_lon,
        cut,
        lo: Box::new(lo_node),
        hi: Box::new(hi_node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves of a partition tile the rectangle: every point is in exactly one leaf, the
    /// one `locate` finds, and the areas add up.
    #[test]
    fn partition_tiles_the_rectangle() {
        let frame = Frame::new(113.66, 34.75);
        let rect = frame.rect([-5.0, -5.0, 5.0, 5.0]);
        let mut points: Vec<Weighted> = (0..400)
            .map(|i| Weighted {
                p: frame.point(f64::from(i % 20) / 2.0 - 4.9, f64::from(i / 20) / 2.0 - 4.9),
                w: 1.0 + f64::from(i % 7),
            })
            .collect();
        let all = points.clone();
        let mut leaves = Vec::new();
        let tree = partition(
            &frame,
            rect,
            13,
            &mut points,
            &mut |_, _| false,
            &mut leaves,
        );
        assert_eq!(leaves.len(), 13);
        let area: i64 = leaves
            .iter()
            .map(|(r, _)| (r.x1 - r.x0) * (r.y1 - r.y0))
            .sum();
        assert_eq!(area, (rect.x1 - rect.x0) * (rect.y1 - rect.y0));
        for w in &all {
            let inside: Vec<usize> = (0..leaves.len())
                .filter(|&i| leaves[i].0.contains(w.p))
                .collect();
            assert_eq!(inside, vec![tree.locate(w.p) as usize]);
        }
    }
}
