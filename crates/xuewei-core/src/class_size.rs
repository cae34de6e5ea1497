//! Classes and class-size measures: 大班额 (large classes, 56+ pupils) and 超大班额
//! (super-large classes, 66+), the plan's headline targets; and the class policy behind
//! them.
//!
//! - [`ClassSizeStandard`]: the standard class size of each stage (45 primary, 50 junior
//!   and senior) and the large / super-large thresholds (56, 66).
//! - [`SeatRule`]: how many seats a school's entering grade offers (`guarantee`,
//!   `standard`, `cap:N`), with the text form used by the command line and scenario files;
//!   per stage it is a [`PerStage<SeatRule>`](crate::PerStage)
//!   (`primary=cap:56,junior=standard`).
//! - [`SeatRule::class_target`]: the class size schools aim for when forming classes.
//!
//! A school grade with `p` pupils and `r` classrooms opens `k = min(r, ⌈p / t⌉)` classes,
//! where `t` is the class size in force (the standard size, or a smaller cap), at least one
//! when it has pupils and a classroom, and spreads its pupils as
//! evenly as possible: sizes differ by at most one. Pupils of a grade with no classroom at
//! all are counted as `pupils_without_classroom`. The measures add up from class to grade,
//! school, district (学区), stage and city.

use std::fmt;
use std::str::FromStr;

use crate::model::Stage;

/// Class-size standards and the thresholds of the plan's targets.
///
/// Defaults: standard class of 45 pupils in primary and 50 in junior and senior high
/// (GB 50099-2011), 30 in kindergarten; a large class (大班额) has 56 or more pupils, a
/// super-large class (超大班额) 66 or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassSizeStandard {
    /// Standard class size in kindergarten.
    pub kindergarten: u32,
    /// Standard class size in primary school.
    pub primary: u32,
    /// Standard class size in junior high.
    pub junior: u32,
    /// Standard class size in senior high.
    pub senior: u32,
    /// A class this size or larger is large (大班额).
    pub large: u32,
    /// A class this size or larger is super-large (超大班额).
    pub super_large: u32,
}

impl Default for ClassSizeStandard {
    fn default() -> Self {
        Self {
            kindergarten: 30,
            primary: 45,
            junior: 50,
            senior: 50,
            large: 56,
            super_large: 66,
        }
    }
}

impl ClassSizeStandard {
    /// The standard class size of a stage.
    #[must_use]
    pub fn standard(&self, stage: Stage) -> u32 {
        match stage {
            Stage::Kindergarten => self.kindergarten,
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
            Stage::Senior => self.senior,
        }
    }

    /// Whether a class of `size` pupils is large (大班额).
    #[must_use]
    pub fn is_large(&self, size: u32) -> bool {
        size >= self.large
    }

    /// Whether a class of `size` pupils is super-large (超大班额).
    #[must_use]
    pub fn is_super_large(&self, size: u32) -> bool {
        size >= self.super_large
    }
}

/// How many pupils a school may admit into its entering grade (the class policy of a
/// stage).
///
/// Its text form is `guarantee`, `standard` or `cap:N` (N ≥ 1), read by [`FromStr`]
/// (surrounding spaces ignored) and written by [`Display`](fmt::Display).
///
/// ```
/// use xuewei_core::SeatRule;
/// assert_eq!("cap:56".parse(), Ok(SeatRule::Cap(56)));
/// assert_eq!(SeatRule::Guarantee.to_string(), "guarantee");
/// assert!("cap:0".parse::<SeatRule>().is_err());
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
#[non_exhaustive]
pub enum SeatRule {
    /// Every catchment pupil is admitted to a zone school whatever the class size (the
    /// pre-2016 practice that produced 大班额).
    Guarantee,
    /// Seats = entry classes × the stage's standard class size (45 primary, 50 junior and
    /// senior), unless the school states its seats.
    #[default]
    Standard,
    /// Seats = entry classes × N, unless the school states its seats.
    Cap(u32),
}

impl SeatRule {
    /// The admission limit of a school under this rule (for guarantee the nominal seats of
    /// the standard, though catchment pupils beyond them are admitted).
    #[must_use]
    pub fn seats(
        self,
        classes: u32,
        stated: Option<u32>,
        stage: Stage,
        sizes: &ClassSizeStandard,
    ) -> u32 {
        match self {
            SeatRule::Guarantee => classes.saturating_mul(sizes.standard(stage)),
            SeatRule::Standard => {
                stated.unwrap_or_else(|| classes.saturating_mul(sizes.standard(stage)))
            }
            SeatRule::Cap(n) => stated.unwrap_or_else(|| classes.saturating_mul(n)),
        }
    }

    /// The class size schools of `stage` aim for when forming classes under this rule: the
    /// standard size, or a cap below it.
    ///
    /// ```
    /// use xuewei_core::{ClassSizeStandard, SeatRule, Stage};
    /// let sizes = ClassSizeStandard::default();
    /// assert_eq!(SeatRule::Cap(40).class_target(Stage::Primary, &sizes), 40);
    /// assert_eq!(SeatRule::Cap(56).class_target(Stage::Primary, &sizes), 45);
    /// assert_eq!(SeatRule::Guarantee.class_target(Stage::Junior, &sizes), 50);
    /// ```
    #[must_use]
    pub fn class_target(self, stage: Stage, sizes: &ClassSizeStandard) -> u32 {
        let standard = sizes.standard(stage);
        match self {
            SeatRule::Cap(n) => n.min(standard),
            SeatRule::Guarantee | SeatRule::Standard => standard,
        }
    }
}

impl fmt::Display for SeatRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeatRule::Guarantee => f.write_str("guarantee"),
            SeatRule::Standard => f.write_str("standard"),
            SeatRule::Cap(n) => write!(f, "cap:{n}"),
        }
    }
}

/// A seat rule that is not `guarantee`, `standard` or `cap:N` with N ≥ 1 (the text as
/// given, trimmed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not guarantee, standard or cap:N (N ≥ 1)")]
pub struct UnknownSeatRule(pub String);

impl FromStr for SeatRule {
    type Err = UnknownSeatRule;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "guarantee" => Ok(SeatRule::Guarantee),
            "standard" => Ok(SeatRule::Standard),
            other => match other.strip_prefix("cap:").map(str::parse::<u32>) {
                Some(Ok(n)) if n > 0 => Ok(SeatRule::Cap(n)),
                _ => Err(UnknownSeatRule(other.to_owned())),
            },
        }
    }
}

impl TryFrom<String> for SeatRule {
    type Error = UnknownSeatRule;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SeatRule> for String {
    fn from(rule: SeatRule) -> Self {
        rule.to_string()
    }
}

/// The classes of one school grade: `count` classes, the first `larger` of them with
/// `base + 1` pupils and the rest with `base`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GradeClasses {
    /// Number of classes.
    pub count: u32,
    /// Size of the smaller classes.
    pub base: u32,
    /// How many classes have one pupil more.
    pub larger: u32,
    /// Pupils left without a class because the grade has no classroom.
    pub without_classroom: u32,
}

impl GradeClasses {
    /// Class sizes, largest first.
    pub fn sizes(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.count).map(|i| {
            if i < self.larger {
                self.base + 1
            } else {
                self.base
            }
        })
    }

    /// Pupils seated in classes.
    #[must_use]
    pub fn pupils(&self) -> u64 {
        u64::from(self.count) * u64::from(self.base) + u64::from(self.larger)
    }
}

/// Forms the classes of one school grade (see the module docs). O(1).
///
/// ```
/// use xuewei_core::class_size::form_classes;
/// // 130 pupils, 2 classrooms, standard 45: two classes of 65.
/// let g = form_classes(130, 2, 45);
/// assert_eq!(g.sizes().collect::<Vec<_>>(), vec![65, 65]);
/// // 100 pupils, 5 classrooms: ⌈100/45⌉ = 3 classes of 34, 33, 33.
/// assert_eq!(form_classes(100, 5, 45).sizes().collect::<Vec<_>>(), vec![34, 33, 33]);
/// ```
#[must_use]
pub fn form_classes(pupils: u32, classrooms: u32, target: u32) -> GradeClasses {
    if pupils == 0 {
        return GradeClasses::default();
    }
    if classrooms == 0 {
        return GradeClasses {
            without_classroom: pupils,
            ..GradeClasses::default()
        };
    }
    let needed = pupils.div_ceil(target.max(1));
    let count = classrooms.min(needed).max(1);
    GradeClasses {
        count,
        base: pupils / count,
        larger: pupils % count,
        without_classroom: 0,
    }
}

/// Class-size measures of any set of grades; add them up with [`add`](Self::add).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ClassMeasures {
    /// Classes.
    pub classes: u64,
    /// Pupils in classes.
    pub pupils_in_classes: u64,
    /// Classes with at least `large` pupils (大班额).
    pub large_classes: u64,
    /// Classes with at least `super_large` pupils (超大班额).
    pub super_large_classes: u64,
    /// Pupils sitting in large classes.
    pub pupils_in_large: u64,
    /// Pupils sitting in super-large classes.
    pub pupils_in_super_large: u64,
    /// Classrooms missing to bring every class to the standard size.
    pub classrooms_short: u64,
    /// Pupils of grades with no classroom at all.
    pub pupils_without_classroom: u64,
}

impl ClassMeasures {
    /// The measures of one grade with the given classrooms and standard size.
    #[must_use]
    pub fn of_grade(
        grade: &GradeClasses,
        classrooms: u32,
        standard: u32,
        policy: &ClassSizeStandard,
    ) -> Self {
        let mut m = ClassMeasures {
            pupils_without_classroom: u64::from(grade.without_classroom),
            ..Self::default()
        };
        for size in grade.sizes() {
            m.classes += 1;
            m.pupils_in_classes += u64::from(size);
            if policy.is_large(size) {
                m.large_classes += 1;
                m.pupils_in_large += u64::from(size);
            }
            if policy.is_super_large(size) {
                m.super_large_classes += 1;
                m.pupils_in_super_large += u64::from(size);
            }
        }
        let all = grade.pupils() + u64::from(grade.without_classroom);
        let needed = all.div_ceil(u64::from(standard.max(1)));
        m.classrooms_short = needed.saturating_sub(u64::from(classrooms));
        m
    }

    /// Adds another set of measures.
    pub fn add(&mut self, other: &ClassMeasures) {
        self.classes += other.classes;
        self.pupils_in_classes += other.pupils_in_classes;
        self.large_classes += other.large_classes;
        self.super_large_classes += other.super_large_classes;
        self.pupils_in_large += other.pupils_in_large;
        self.pupils_in_super_large += other.pupils_in_super_large;
        self.classrooms_short += other.classrooms_short;
        self.pupils_without_classroom += other.pupils_without_classroom;
    }

    /// Share of classes that are large (0 when there are no classes).
    #[must_use]
    pub fn large_share(&self) -> f64 {
        ratio(self.large_classes, self.classes)
    }

    /// Share of classes that are super-large.
    #[must_use]
    pub fn super_large_share(&self) -> f64 {
        ratio(self.super_large_classes, self.classes)
    }

    /// Mean class size.
    #[must_use]
    pub fn mean_class_size(&self) -> f64 {
        ratio(self.pupils_in_classes, self.classes)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PerStage, PerStageError, UnknownStage};
    use proptest::prelude::*;

    fn seat_rule() -> impl Strategy<Value = SeatRule> {
        prop_oneof![
            Just(SeatRule::Guarantee),
            Just(SeatRule::Standard),
            (1u32..=u32::MAX).prop_map(SeatRule::Cap),
        ]
    }

    /// `text` parses to `expected` (over the default `standard` everywhere), and that value
    /// prints as `shown`.
    fn check(text: &str, expected: [SeatRule; 4], shown: &str) {
        let parsed: PerStage<SeatRule> = text.parse().expect(text);
        assert_eq!(parsed, PerStage::new(expected), "{text}");
        assert_eq!(parsed.to_string(), shown, "{text}");
    }

    /// `text` fails with `message`, as the command line and scenario files show it.
    fn check_err(text: &str, message: &str) {
        let err = text.parse::<PerStage<SeatRule>>().expect_err(text);
        assert_eq!(err.to_string(), message, "{text}");
    }

    #[test]
    fn seat_rules_read_and_print_the_cap_grammar() {
        use SeatRule::{Cap, Guarantee as G, Standard as S};
        check("standard", [S; 4], "standard");
        check("guarantee", [G; 4], "guarantee");
        check(" cap:56 ", [Cap(56); 4], "cap:56");
        check(
            "primary=cap:56,junior=standard",
            [S, Cap(56), S, S],
            "kindergarten=standard,primary=cap:56,junior=standard,senior=standard",
        );
        check(
            "guarantee, Primary = cap:40",
            [G, Cap(40), G, G],
            "kindergarten=guarantee,primary=cap:40,junior=guarantee,senior=guarantee",
        );
        // Left to right: a later plain value resets every stage.
        check("primary=cap:40,guarantee", [G; 4], "guarantee");
        assert_eq!("cap:7".parse::<SeatRule>(), Ok(Cap(7)));
        assert_eq!(Cap(7).to_string(), "cap:7");
        // Files that hold a rule use the same text.
        assert_eq!(
            serde_json::to_string(&Cap(7)).ok(),
            Some("\"cap:7\"".into())
        );
        assert_eq!(
            serde_json::from_str::<SeatRule>("\"guarantee\"").ok(),
            Some(G)
        );
        assert!(serde_json::from_str::<SeatRule>("\"cap:0\"").is_err());
    }

    #[test]
    fn bad_seat_rules_name_the_text() {
        let not = |t: &str| format!("\"{t}\" is not guarantee, standard or cap:N (N ≥ 1)");
        check_err("cap:0", &not("cap:0"));
        check_err("cap:", &not("cap:"));
        check_err("cap:-3", &not("cap:-3"));
        check_err("cap:4294967296", &not("cap:4294967296"));
        check_err("Guarantee", &not("Guarantee"));
        check_err("", &not(""));
        check_err("standard,", &not(""));
        check_err("primary=cap:56,junior= large ", &not("large"));
        check_err(
            "elementary=cap:56",
            "unknown stage \"elementary\" (expected kindergarten, primary, junior or senior)",
        );
        assert_eq!(
            "elementary=cap:56".parse::<PerStage<SeatRule>>(),
            Err(PerStageError::Stage(UnknownStage("elementary".into())))
        );
        assert_eq!(
            " cap:x ".parse::<SeatRule>(),
            Err(UnknownSeatRule("cap:x".into()))
        );
    }

    #[test]
    fn parse_onto_keeps_the_stages_not_named() {
        let base = PerStage::splat(SeatRule::Guarantee);
        let next = base.parse_onto("junior=cap:56").expect("parses");
        assert_eq!(next[Stage::Primary], SeatRule::Guarantee);
        assert_eq!(next[Stage::Junior], SeatRule::Cap(56));
        assert!(base.parse_onto("junior=cap:56,senior=big").is_err());
    }

    #[test]
    fn the_class_target_is_the_standard_or_a_cap_below_it() {
        let sizes = ClassSizeStandard::default();
        assert_eq!(SeatRule::Cap(40).class_target(Stage::Primary, &sizes), 40);
        assert_eq!(SeatRule::Cap(56).class_target(Stage::Primary, &sizes), 45);
        assert_eq!(SeatRule::Standard.class_target(Stage::Junior, &sizes), 50);
        assert_eq!(SeatRule::Guarantee.class_target(Stage::Senior, &sizes), 50);
    }

    proptest! {
        /// Display then FromStr is the identity, for one rule and for rules per stage.
        #[test]
        fn display_then_parse_is_identity(rules in proptest::array::uniform4(seat_rule())) {
            for rule in rules {
                prop_assert_eq!(rule.to_string().parse::<SeatRule>(), Ok(rule));
            }
            let per_stage = PerStage::new(rules);
            prop_assert_eq!(per_stage.to_string().parse::<PerStage<SeatRule>>(), Ok(per_stage));
        }
    }

    proptest! {
        /// Sizes differ by at most one, add up to the pupils, and never use more classes
        /// than classrooms.
        #[test]
        fn classes_are_even_and_within_classrooms(p in 0u32..2_000, r in 0u32..40, std in 1u32..60) {
            let g = form_classes(p, r, std);
            prop_assert!(g.count <= r);
            prop_assert_eq!(g.pupils() + u64::from(g.without_classroom), u64::from(p));
            let sizes: Vec<u32> = g.sizes().collect();
            if let (Some(max), Some(min)) = (sizes.iter().max(), sizes.iter().min()) {
                prop_assert!(max - min <= 1);
            }
            // No more classes than the standard requires.
            prop_assert!(g.count <= p.div_ceil(std).max(u32::from(p > 0)));
        }

        /// With as many classrooms as pupils / N requires, no class exceeds N.
        #[test]
        fn cap_holds_when_seats_are_classes_times_n(r in 1u32..20, n in 30u32..70, fill in 0.0f64..=1.0) {
            let p = (f64::from(r * n) * fill) as u32;
            let g = form_classes(p, r, n);
            prop_assert!(g.sizes().all(|s| s <= n));
        }
    }

    /// Hand-computed: three schools' entering grades under the default thresholds.
    /// 130 pupils in 2 rooms → 65, 65 (large, not super-large); 140 in 2 → 70, 70 (both
    /// super-large); 90 in 3 → 45, 45 (⌈90/45⌉ = 2 classes, normal). Six classes, four
    /// large (66.7%), two super-large (33.3%); mean 360/6 = 60.
    #[test]
    fn worked_example_of_shares() {
        let policy = ClassSizeStandard::default();
        let mut total = ClassMeasures::default();
        for (p, r) in [(130, 2), (140, 2), (90, 3)] {
            let g = form_classes(p, r, 45);
            total.add(&ClassMeasures::of_grade(&g, r, 45, &policy));
        }
        assert_eq!(total.classes, 6);
        assert_eq!(total.large_classes, 4);
        assert_eq!(total.super_large_classes, 2);
        assert_eq!(total.pupils_in_large, 270);
        assert_eq!(total.pupils_in_super_large, 140);
        assert!((total.large_share() - 4.0 / 6.0).abs() < 1e-12);
        assert!((total.super_large_share() - 2.0 / 6.0).abs() < 1e-12);
        assert!((total.mean_class_size() - 60.0).abs() < 1e-12);
        // ⌈130/45⌉ = 3 rooms needed for 2 available, ⌈140/45⌉ = 4 for 2: 1 + 2 short.
        assert_eq!(total.classrooms_short, 3);
    }

    #[test]
    fn a_grade_without_classrooms_is_counted_not_dropped() {
        let g = form_classes(30, 0, 45);
        assert_eq!(g.count, 0);
        let m = ClassMeasures::of_grade(&g, 0, 45, &ClassSizeStandard::default());
        assert_eq!(m.pupils_without_classroom, 30);
        assert_eq!(m.classrooms_short, 1);
    }
}
