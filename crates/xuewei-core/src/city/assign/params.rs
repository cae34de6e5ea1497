//! The options of [`assign`](fn@super::assign).

use crate::city::rules::PriorityRules;
use crate::class_size::{ClassSizeStandard, SeatRule};
use crate::lottery::TieBreak;
use crate::model::{PerStage, Stage};
use crate::overflow::OverflowParams;

/// Options of [`assign`](fn@super::assign), with documented defaults and by-value setters.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignParams {
    /// Master seed; each stage's draws derive from it (default 0).
    pub seed: u64,
    /// Priority rules (default: hukou and home, hukou or home, residence permit, others;
    /// sibling lift on).
    pub rules: PriorityRules,
    /// Tie-breaking of the catchment lottery (default single).
    pub tie_break: TieBreak,
    /// Class policy: the seat rule of each stage (default standard everywhere).
    pub class_policy: PerStage<SeatRule>,
    /// Class-size standards and thresholds.
    pub class_sizes: ClassSizeStandard,
    /// Options of the overflow solver.
    pub overflow: OverflowParams,
}

impl Default for AssignParams {
    fn default() -> Self {
        Self {
            seed: 0,
            rules: PriorityRules::default(),
            tie_break: TieBreak::Single,
            class_policy: PerStage::splat(SeatRule::Standard),
            class_sizes: ClassSizeStandard::default(),
            overflow: OverflowParams::default(),
        }
    }
}

impl AssignParams {
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the priority rules.
    #[must_use]
    pub fn rules(mut self, rules: PriorityRules) -> Self {
        self.rules = rules;
        self
    }
    /// Sets the tie-breaking rule.
    #[must_use]
    pub fn tie_break(mut self, tie_break: TieBreak) -> Self {
        self.tie_break = tie_break;
        self
    }
    /// Sets the seat rule of every stage.
    #[must_use]
    pub fn class_policy(mut self, rule: SeatRule) -> Self {
        self.class_policy = PerStage::splat(rule);
        self
    }
    /// Sets the seat rule of one stage.
    #[must_use]
    pub fn stage_class_policy(mut self, stage: Stage, rule: SeatRule) -> Self {
        self.class_policy[stage] = rule;
        self
    }
    /// The seat rule of a stage.
    #[must_use]
    pub fn policy_of(&self, stage: Stage) -> SeatRule {
        self.class_policy[stage]
    }

    /// The class size schools of a stage aim for when forming classes
    /// ([`SeatRule::class_target`]).
    #[must_use]
    pub fn class_target(&self, stage: Stage) -> u32 {
        self.policy_of(stage).class_target(stage, &self.class_sizes)
    }
}
