//! Classes and class-size measures: 大班额 (large classes, 56+ pupils) and 超大班额
//! (super-large classes, 66+), the plan's headline targets.
//!
//! A school grade with `p` pupils and `r` classrooms opens `k = min(r, ⌈p / t⌉)` classes,
//! where `t` is the class size in force (the standard size, or a smaller cap), at least one
//! when it has pupils and a classroom, and spreads its pupils as
//! evenly as possible: sizes differ by at most one. Pupils of a grade with no classroom at
//! all are counted as `pupils_without_classroom`. The measures add up from class to grade,
//! school, district (学区), stage and city.

use crate::model::ClassSizePolicy;

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
        policy: &ClassSizePolicy,
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
    use proptest::prelude::*;

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
        let policy = ClassSizePolicy::default();
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
        let m = ClassMeasures::of_grade(&g, 0, 45, &ClassSizePolicy::default());
        assert_eq!(m.pupils_without_classroom, 30);
        assert_eq!(m.classrooms_short, 1);
    }
}
