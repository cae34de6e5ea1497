//! The checks of every parameter field: ranges, consistency between fields, and districts
//! that tile the territory. Every problem is reported, each naming its field.

use xuewei_core::Problems;

use crate::error::{ParamsProblems, Problem};
use crate::params::{Kind, Params, RectKm};

impl Params {
    /// Checks every field: ranges, consistency between fields, and districts that tile the
    /// territory. [`generate`](crate::generate) checks again; `xuewei_io::synth::params`
    /// checks what it reads.
    ///
    /// # Errors
    /// Every problem found, each naming its field.
    pub fn validate(&self) -> Result<(), ParamsProblems> {
        let mut p = Vec::new();
        let mut bad = |field: String, message: String| p.push(Problem { field, message });
        let positive = |x: f64| x.is_finite() && x > 0.0;
        let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        if !(self.centre.lon.is_finite() && self.centre.lon.abs() <= 180.0) {
            bad(
                "centre.lon".into(),
                format!("{} is not in [-180, 180]", self.centre.lon),
            );
        }
        if !(self.centre.lat.is_finite() && self.centre.lat.abs() <= 80.0) {
            bad(
                "centre.lat".into(),
                format!("{} is not in [-80, 80]", self.centre.lat),
            );
        }
        let rect_ok = |r: &RectKm| r.iter().all(|x| x.is_finite()) && r[0] < r[2] && r[1] < r[3];
        let t = self.territory.rect;
        if !rect_ok(&t) {
            bad(
                "territory.rect".into(),
                format!("{t:?} is not [x0, y0, x1, y1] with x0 < x1, y0 < y1"),
            );
        }
        if self.rings.names.len() != self.rings.half_width_km.len() || self.rings.names.is_empty() {
            bad(
                "rings.names".into(),
                "needs one name per half-width, at least one ring".into(),
            );
        }
        if !self.rings.half_width_km.windows(2).all(|w| w[0] < w[1])
            || !self.rings.half_width_km.iter().all(|&x| positive(x))
        {
            bad(
                "rings.half_width_km".into(),
                "must be positive and increasing".into(),
            );
        }
        if !positive(self.rings.speed_kmh) {
            bad("rings.speed_kmh".into(), "must be positive".into());
        }
        let r = &self.roads;
        if !rect_ok(&r.urban_rect) {
            bad(
                "roads.urban_rect".into(),
                "is not [x0, y0, x1, y1] with x0 < x1, y0 < y1".into(),
            );
        }
        for (name, v) in [
            ("urban_spacing_km", r.urban_spacing_km),
            ("urban_speed_kmh", r.urban_speed_kmh),
            ("county_spacing_km", r.county_spacing_km),
            ("county_speed_kmh", r.county_speed_kmh),
        ] {
            if !positive(v) {
                bad(format!("roads.{name}"), format!("{v} is not positive"));
            }
        }
        if r.urban_spacing_km.is_finite() && r.urban_spacing_km < 0.2 {
            bad(
                "roads.urban_spacing_km".into(),
                "must be at least 0.2 km".into(),
            );
        }
        if r.county_spacing_km.is_finite() && r.county_spacing_km < 0.2 {
            bad(
                "roads.county_spacing_km".into(),
                "must be at least 0.2 km".into(),
            );
        }
        // Districts.
        if self.districts.is_empty() {
            bad("districts".into(), "needs at least one district".into());
        }
        let mut area = 0.0;
        let mut xuequ = 0;
        for (i, d) in self.districts.iter().enumerate() {
            let at = |f: &str| format!("districts[{i}] ({}).{f}", d.name);
            if d.name.trim().is_empty() {
                bad(at("name"), "is empty".into());
            }
            if self.districts[..i].iter().any(|e| e.name == d.name) {
                bad(at("name"), "is used twice".into());
            }
            if !rect_ok(&d.rect) {
                bad(
                    at("rect"),
                    format!("{:?} is not [x0, y0, x1, y1] with x0 < x1, y0 < y1", d.rect),
                );
            } else {
                if d.rect[0] < t[0] || d.rect[1] < t[1] || d.rect[2] > t[2] || d.rect[3] > t[3] {
                    bad(at("rect"), "is not inside territory.rect".into());
                }
                for (j, e) in self.districts[..i].iter().enumerate() {
                    let ox = d.rect[2].min(e.rect[2]) - d.rect[0].max(e.rect[0]);
                    let oy = d.rect[3].min(e.rect[3]) - d.rect[1].max(e.rect[1]);
                    if ox > 1e-9 && oy > 1e-9 {
                        bad(at("rect"), format!("overlaps districts[{j}] ({})", e.name));
                    }
                }
                area += (d.rect[2] - d.rect[0]) * (d.rect[3] - d.rect[1]);
            }
            if !d.seat.iter().all(|x| x.is_finite()) {
                bad(at("seat"), "is not finite".into());
            }
            if !(d.weight.is_finite() && d.weight >= 0.0) {
                bad(
                    at("weight"),
                    format!("{} is not a non-negative number", d.weight),
                );
            }
            if !positive(d.radius_km) {
                bad(at("radius_km"), format!("{} is not positive", d.radius_km));
            }
            match d.kind {
                Kind::Urban if d.xuequ == 0 => bad(
                    at("xuequ"),
                    "an urban district needs at least one 学区".into(),
                ),
                Kind::County if d.xuequ != 0 => {
                    bad(at("xuequ"), "only urban districts have 学区".into())
                }
                _ => {}
            }
            xuequ += d.xuequ;
        }
        if rect_ok(&t) {
            let total = (t[2] - t[0]) * (t[3] - t[1]);
            if (area - total).abs() > 1e-6 * total {
                bad(
                    "districts".into(),
                    format!("rectangles cover {area:.3} km² of the territory's {total:.3} km² (they must tile it)"),
                );
            }
        }
        if xuequ != self.xuequ.count {
            bad(
                "xuequ.count".into(),
                format!(
                    "is {} but the urban districts' xuequ sum to {xuequ}",
                    self.xuequ.count
                ),
            );
        }
        if self.xuequ.urban_junior_schools > self.stages.junior.schools {
            bad(
                "xuequ.urban_junior_schools".into(),
                "exceeds stages.junior.schools".into(),
            );
        }
        for (i, g) in self.growth.iter().enumerate() {
            let at = |f: &str| format!("growth[{i}] ({}).{f}", g.name);
            if !g.at.iter().all(|x| x.is_finite()) {
                bad(at("at"), "is not finite".into());
            }
            if !positive(g.radius_km) {
                bad(at("radius_km"), "is not positive".into());
            }
            if !positive(g.scale_km) {
                bad(at("scale_km"), "is not positive".into());
            }
            if !(g.weight.is_finite() && g.weight >= 0.0) {
                bad(at("weight"), "is not a non-negative number".into());
            }
        }
        let pop = &self.population;
        for (name, v) in [
            ("core_radius_km", pop.core_radius_km),
            ("children_per_household", pop.children_per_household),
        ] {
            if !positive(v) {
                bad(format!("population.{name}"), format!("{v} is not positive"));
            }
        }
        for (name, v) in [
            ("core_weight", pop.core_weight),
            ("rural_weight", pop.rural_weight),
            ("blocks_exponent", pop.blocks_exponent),
            ("block_sigma", pop.block_sigma),
            ("block_core_boost", pop.block_core_boost),
            ("home_jitter_km", pop.home_jitter_km),
        ] {
            if !(v.is_finite() && (0.0..=10.0).contains(&v)) {
                bad(
                    format!("population.{name}"),
                    format!("{v} is not in [0, 10]"),
                );
            }
        }
        if pop.blocks == 0 || pop.blocks > 5_000_000 {
            bad(
                "population.blocks".into(),
                format!("{} is not in 1..=5000000", pop.blocks),
            );
        }
        let mixture = pop.core_weight
            + pop.rural_weight
            + self.districts.iter().map(|d| d.weight).sum::<f64>()
            + self.growth.iter().map(|g| g.weight).sum::<f64>();
        if !(mixture.is_finite() && mixture > 0.0) {
            bad(
                "population.core_weight".into(),
                "the mixture weights sum to zero".into(),
            );
        }
        let f = &self.families;
        for (name, v) in f.migrant_share.values() {
            if !share(v) {
                bad(
                    format!("families.migrant_share.{name}"),
                    format!("{v} is not in [0, 1]"),
                );
            }
        }
        for (name, v) in [
            ("owns_home_local", f.owns_home_local),
            ("owns_home_migrant", f.owns_home_migrant),
            ("residence_permit_migrant", f.residence_permit_migrant),
            ("sibling_share", f.sibling_share),
            ("rank_zone_schools", f.rank_zone_schools),
            ("rank_swap", f.rank_swap),
        ] {
            if !share(v) {
                bad(format!("families.{name}"), format!("{v} is not in [0, 1]"));
            }
        }
        if !(f.score_min.is_finite()
            && f.score_min >= 0.0
            && f.score_max.is_finite()
            && f.score_min < f.score_max)
        {
            bad(
                "families.score_min".into(),
                "needs 0 <= score_min < score_max".into(),
            );
        }
        if !(f.score_mean.is_finite() && f.score_sd.is_finite() && f.score_sd >= 0.0) {
            bad(
                "families.score_sd".into(),
                "score_mean and score_sd must be finite, sd >= 0".into(),
            );
        }
        if self.multi_school.within_ring >= self.rings.half_width_km.len() {
            bad(
                "multi_school.within_ring".into(),
                "is not the index of a ring".into(),
            );
        }
        if !share(self.multi_school.probability) {
            bad("multi_school.probability".into(), "is not in [0, 1]".into());
        }
        for (stage, s) in [
            ("primary", &self.stages.primary),
            ("junior", &self.stages.junior),
            ("senior", &self.stages.senior),
        ] {
            let at = |f: &str| format!("stages.{stage}.{f}");
            if s.schools == 0 {
                bad(at("schools"), "must be at least 1".into());
            }
            if s.private >= s.schools && s.schools > 0 {
                bad(
                    at("private"),
                    format!("{} leaves no public school of {}", s.private, s.schools),
                );
            }
            if s.roll < s.schools {
                bad(at("roll"), "is smaller than the number of schools".into());
            }
            if s.age > 17 {
                bad(
                    at("age"),
                    "must be at most 17 (blocks count children aged 0–17)".into(),
                );
            }
            if !(s.growth.is_finite() && (0.5..=2.0).contains(&s.growth)) {
                bad(at("growth"), format!("{} is not in [0.5, 2]", s.growth));
            }
            for (name, v) in [
                ("private_share", s.private_share),
                ("private_apply", s.private_apply),
                ("class_spread", s.class_spread),
                ("grade_spread", s.grade_spread),
            ] {
                if !share(v) {
                    bad(at(name), format!("{v} is not in [0, 1]"));
                }
            }
            if !(s.private_class.is_finite() && (5.0..=120.0).contains(&s.private_class)) {
                bad(at("private_class"), "is not in [5, 120]".into());
            }
            for (name, v) in s.class_size.values() {
                if !(v.is_finite() && (5.0..=120.0).contains(&v)) {
                    bad(
                        format!("stages.{stage}.class_size.{name}"),
                        format!("{v} is not in [5, 120]"),
                    );
                }
            }
        }
        if p.is_empty() {
            Ok(())
        } else {
            Err(Problems(p))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::params::Params;

    /// The seed parameters with `edits` (text replacements) made (TOML read in tests only:
    /// reading it is `xuewei-io`'s).
    fn seed_with(edits: &[(&str, &str)]) -> Params {
        let mut text = include_str!("../../../seeds/zhengzhou.toml").to_owned();
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            text = text.replace(from, to);
        }
        toml::from_str(&text).expect("well-formed parameters")
    }

    #[test]
    fn the_seed_parameters_are_valid() {
        assert_eq!(seed_with(&[]).validate(), Ok(()));
    }

    #[test]
    fn problems_name_their_fields() {
        let params = seed_with(&[
            ("private = 88", "private = 935"),
            ("count = 20", "count = 21"),
            (
                "rect = [-6.0, 0.0, 0.0, 10.0]",
                "rect = [-6.0, 0.0, 1.0, 10.0]",
            ),
        ]);
        let err = params.validate().expect_err("invalid").to_string();
        assert!(
            err.contains("stages.primary.private: 935 leaves no public school"),
            "{err}"
        );
        assert!(err.contains("xuequ.count: is 21"), "{err}");
        assert!(err.contains("overlaps districts[0] (中原区)"), "{err}");
    }
}
