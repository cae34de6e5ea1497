//! Priority rules: how a school ranks the pupils of its catchment, compiled into the tiers
//! of the core mechanisms.
//!
//! The default order is the one Chinese districts use for compulsory-school admission:
//! (1) local hukou and the family owns the home (户房一致); (2) local hukou or owns the home;
//! (3) migrant child with a residence permit (随迁子女); (4) everyone else. A sibling already
//! at the school lifts a pupil one tier (never above the first).

use super::Pupil;

/// A condition that places a pupil in a tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Criterion {
    /// Local hukou and the family owns the home.
    HukouAndHome,
    /// Local hukou or the family owns the home.
    HukouOrHome,
    /// Local hukou.
    Hukou,
    /// The family owns the home.
    Home,
    /// Migrant child with a residence permit.
    ResidencePermit,
    /// Everyone.
    Any,
}

impl Criterion {
    /// Whether a pupil meets the condition.
    #[must_use]
    pub fn matches(self, pupil: &Pupil) -> bool {
        match self {
            Criterion::HukouAndHome => pupil.hukou_local && pupil.owns_home,
            Criterion::HukouOrHome => pupil.hukou_local || pupil.owns_home,
            Criterion::Hukou => pupil.hukou_local,
            Criterion::Home => pupil.owns_home,
            Criterion::ResidencePermit => pupil.residence_permit,
            Criterion::Any => true,
        }
    }
}

/// Ordered tiers and the sibling rule. A pupil's tier at a school is the first criterion
/// they meet (0 = highest), or one past the last when they meet none; a sibling at the
/// school lifts them one tier when `sibling_lift` is on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityRules {
    /// Tier conditions, highest first.
    pub tiers: Vec<Criterion>,
    /// Whether a sibling at the school lifts a pupil one tier.
    #[serde(default = "yes")]
    pub sibling_lift: bool,
}

fn yes() -> bool {
    true
}

impl Default for PriorityRules {
    fn default() -> Self {
        Self {
            tiers: vec![
                Criterion::HukouAndHome,
                Criterion::HukouOrHome,
                Criterion::ResidencePermit,
            ],
            sibling_lift: true,
        }
    }
}

impl PriorityRules {
    /// Sets whether a sibling lifts a pupil one tier.
    #[must_use]
    pub fn sibling_lift(mut self, on: bool) -> Self {
        self.sibling_lift = on;
        self
    }

    /// The number of tiers a school can have (the criteria plus "none met").
    #[must_use]
    pub fn n_tiers(&self) -> u32 {
        self.tiers.len() as u32 + 1
    }

    /// The tier of a pupil at a school (index into the city's schools); 0 is the highest.
    #[must_use]
    pub fn tier(&self, pupil: &Pupil, school: u32) -> u32 {
        let base = self
            .tiers
            .iter()
            .position(|c| c.matches(pupil))
            .unwrap_or(self.tiers.len()) as u32;
        if self.sibling_lift && pupil.sibling_school == Some(school) {
            base.saturating_sub(1)
        } else {
            base
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;
    use geo::Point;

    fn pupil(hukou: bool, home: bool, permit: bool, sibling: Option<u32>) -> Pupil {
        Pupil {
            id: "p".into(),
            stage: Stage::Primary,
            home: Point::new(113.66, 34.75),
            hukou_local: hukou,
            owns_home: home,
            residence_permit: permit,
            sibling_school: sibling,
            score: None,
            origin_school: None,
            preferences: Vec::new(),
        }
    }

    #[test]
    fn default_order_and_sibling_lift() {
        let r = PriorityRules::default();
        let cases = [
            (pupil(true, true, false, None), 0),
            (pupil(true, false, false, None), 1),
            (pupil(false, true, false, None), 1),
            (pupil(false, false, true, None), 2),
            (pupil(false, false, false, None), 3),
            (pupil(false, false, false, Some(7)), 2),
            (pupil(true, true, false, Some(7)), 0),
            (pupil(false, false, true, Some(8)), 2),
        ];
        for (p, tier) in cases {
            assert_eq!(r.tier(&p, 7), tier, "{p:?}");
        }
        let off = PriorityRules::default().sibling_lift(false);
        assert_eq!(off.tier(&pupil(false, false, false, Some(7)), 7), 3);
    }
}
