//! The validated matching instance: schools with seats and priority tiers, pupils with
//! preference lists, optional reserves (指标到校 quota places) and an optional published draw.
//!
//! Build one with [`InstanceBuilder`]; once built it is immutable and every mechanism on it
//! is total (cannot fail).

use std::collections::HashMap;

use crate::error::{Problems, Record, ValidationError, ValidationErrors};
use crate::ids::{GroupId, SchoolId, StudentId, NONE};

/// In which order a school with reserves fills its seats.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ReserveOrder {
    /// Reserved seats are filled first (by the group's members in priority order), then the
    /// open seats by everyone left. Less favourable to the group than `OpenFirst`.
    #[default]
    ReservedFirst,
    /// Open seats are filled first by everyone in priority order, then reserved seats by the
    /// group's members left.
    OpenFirst,
}

/// What happens to reserved seats the group cannot fill.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum UnfilledReserves {
    /// They revert to open seats (anyone may take them).
    #[default]
    Open,
    /// They stay empty.
    Empty,
}

/// One block of seats reserved for a group at a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserve {
    /// The group the seats are for.
    pub group: GroupId,
    /// How many seats.
    pub seats: u32,
}

/// The reserve policy of one school.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReservePolicy {
    /// Reserved blocks, in the order they are filled among themselves.
    pub reserves: Vec<Reserve>,
    /// Reserved seats before or after the open ones.
    pub order: ReserveOrder,
    /// Whether unfilled reserved seats revert to open.
    pub unfilled: UnfilledReserves,
}

impl ReservePolicy {
    /// Total reserved seats.
    #[must_use]
    pub fn reserved_seats(&self) -> u64 {
        self.reserves.iter().map(|r| u64::from(r.seats)).sum()
    }
}

/// A validated admission instance. Pupils are "students" in the code, as in the literature.
///
/// Preferences are stored in CSR form (one flat list plus offsets); for every preference
/// entry the pupil's priority tier at that school is precomputed, so comparing two
/// applicants at a school is one indexed load.
#[derive(Clone, Debug)]
pub struct Instance {
    pub(crate) school_names: Vec<String>,
    pub(crate) student_names: Vec<String>,
    pub(crate) group_names: Vec<String>,
    pub(crate) capacity: Vec<u32>,
    pub(crate) pref_offsets: Vec<u32>,
    pub(crate) pref_schools: Vec<SchoolId>,
    pub(crate) pref_tier: Vec<u32>,
    pub(crate) prio_offsets: Vec<u32>,
    pub(crate) prio_students: Vec<StudentId>,
    pub(crate) prio_tiers: Vec<u32>,
    pub(crate) n_tiers: Vec<u32>,
    pub(crate) score: Vec<Option<f64>>,
    pub(crate) group: Vec<u32>,
    pub(crate) reserve_of: Vec<u32>,
    pub(crate) reserve_policies: Vec<ReservePolicy>,
    pub(crate) lottery: Option<Vec<StudentId>>,
}

impl Instance {
    /// Number of pupils.
    #[must_use]
    pub fn n_students(&self) -> usize {
        self.student_names.len()
    }

    /// Number of schools.
    #[must_use]
    pub fn n_schools(&self) -> usize {
        self.school_names.len()
    }

    /// Total number of preference entries over all pupils.
    #[must_use]
    pub fn n_preference_entries(&self) -> usize {
        self.pref_schools.len()
    }

    /// All pupil ids, in input order.
    pub fn students(&self) -> impl ExactSizeIterator<Item = StudentId> + '_ {
        (0..self.n_students()).map(StudentId::from_index)
    }

    /// All school ids, in input order.
    pub fn schools(&self) -> impl ExactSizeIterator<Item = SchoolId> + '_ {
        (0..self.n_schools()).map(SchoolId::from_index)
    }

    /// The external id of a pupil.
    #[must_use]
    pub fn student_name(&self, student: StudentId) -> &str {
        &self.student_names[student.index()]
    }

    /// The external id of a school.
    #[must_use]
    pub fn school_name(&self, school: SchoolId) -> &str {
        &self.school_names[school.index()]
    }

    /// The name of a group.
    #[must_use]
    pub fn group_name(&self, group: GroupId) -> &str {
        &self.group_names[group.index()]
    }

    /// Seats at a school.
    #[must_use]
    pub fn capacity(&self, school: SchoolId) -> u32 {
        self.capacity[school.index()]
    }

    /// A pupil's acceptable schools, best first.
    #[must_use]
    pub fn preferences(&self, student: StudentId) -> &[SchoolId] {
        &self.pref_schools[self.pref_range(student)]
    }

    /// The pupil's priority tier at each school of their list (aligned with
    /// [`preferences`](Self::preferences)); 0 is the highest tier.
    #[must_use]
    pub fn preference_tiers(&self, student: StudentId) -> &[u32] {
        &self.pref_tier[self.pref_range(student)]
    }

    /// Position of `school` in the pupil's list (0 = first choice), if listed.
    #[must_use]
    pub fn rank_of(&self, student: StudentId, school: SchoolId) -> Option<usize> {
        self.preferences(student).iter().position(|&s| s == school)
    }

    /// The pupil's priority tier at a school (0 highest); pupils the school's list does not
    /// name share the tier after the last named one.
    #[must_use]
    pub fn tier(&self, student: StudentId, school: SchoolId) -> u32 {
        if let Some(pos) = self.rank_of(student, school) {
            return self.preference_tiers(student)[pos];
        }
        let range = self.prio_range(school);
        self.prio_students[range.clone()]
            .iter()
            .position(|&s| s == student)
            .map_or(self.n_tiers[school.index()], |i| {
                self.prio_tiers[range.start + i]
            })
    }

    /// Number of named tiers at a school; unnamed pupils have tier `n_tiers`.
    #[must_use]
    pub fn n_tiers(&self, school: SchoolId) -> u32 {
        self.n_tiers[school.index()]
    }

    /// Pupils a school's priority names, highest tier first, with their tiers.
    pub fn named_priority(
        &self,
        school: SchoolId,
    ) -> impl ExactSizeIterator<Item = (StudentId, u32)> + '_ {
        let range = self.prio_range(school);
        self.prio_students[range.clone()]
            .iter()
            .copied()
            .zip(self.prio_tiers[range].iter().copied())
    }

    /// A pupil's score, if given.
    #[must_use]
    pub fn score(&self, student: StudentId) -> Option<f64> {
        self.score[student.index()]
    }

    /// A pupil's group, if any.
    #[must_use]
    pub fn group(&self, student: StudentId) -> Option<GroupId> {
        let g = self.group[student.index()];
        (g != NONE).then_some(GroupId(g))
    }

    /// Number of distinct groups.
    #[must_use]
    pub fn n_groups(&self) -> usize {
        self.group_names.len()
    }

    /// The reserve policy of a school, if it has reserved seats.
    #[must_use]
    pub fn reserves(&self, school: SchoolId) -> Option<&ReservePolicy> {
        let r = self.reserve_of[school.index()];
        (r != NONE).then(|| &self.reserve_policies[r as usize])
    }

    /// Whether any school has reserved seats.
    #[must_use]
    pub fn has_reserves(&self) -> bool {
        !self.reserve_policies.is_empty()
    }

    /// The published single tie-break order (best first), when the instance carries one.
    #[must_use]
    pub fn given_lottery(&self) -> Option<&[StudentId]> {
        self.lottery.as_deref()
    }

    /// Total seats over all schools.
    #[must_use]
    pub fn total_seats(&self) -> u64 {
        self.capacity.iter().map(|&c| u64::from(c)).sum()
    }

    #[inline]
    pub(crate) fn pref_range(&self, student: StudentId) -> std::ops::Range<usize> {
        self.pref_offsets[student.index()] as usize..self.pref_offsets[student.index() + 1] as usize
    }

    #[inline]
    fn prio_range(&self, school: SchoolId) -> std::ops::Range<usize> {
        self.prio_offsets[school.index()] as usize..self.prio_offsets[school.index() + 1] as usize
    }

    /// For every school, the preference-entry indices that name it (reverse CSR):
    /// `(offsets, entries)`, entries of school `s` at `entries[offsets[s]..offsets[s+1]]`,
    /// in pupil order.
    pub(crate) fn applicant_index(&self) -> (Vec<u32>, Vec<u32>) {
        let m = self.n_schools();
        let mut offsets = vec![0u32; m + 1];
        for s in &self.pref_schools {
            offsets[s.index() + 1] += 1;
        }
        for i in 0..m {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut entries = vec![0u32; self.pref_schools.len()];
        for (k, s) in self.pref_schools.iter().enumerate() {
            let slot = &mut fill[s.index()];
            entries[*slot as usize] = k as u32;
            *slot += 1;
        }
        (offsets, entries)
    }

    /// The pupil owning each preference entry (`entries_len` values).
    pub(crate) fn entry_students(&self) -> Vec<StudentId> {
        let mut out = Vec::with_capacity(self.pref_schools.len());
        for st in self.students() {
            let len = self.pref_range(st).len();
            out.extend(std::iter::repeat_n(st, len));
        }
        out
    }
}

#[derive(Clone, Debug, Default)]
struct SchoolDraft {
    name: String,
    capacity: u32,
    tiers: Vec<Vec<StudentId>>,
    reserves: Vec<Reserve>,
    order: ReserveOrder,
    unfilled: UnfilledReserves,
}

/// Builds an [`Instance`] from dense ids, validating on [`build`](Self::build).
///
/// ```
/// use xuewei_core::InstanceBuilder;
/// let mut b = InstanceBuilder::new();
/// let h = b.add_school("H", 1);
/// let a = b.add_student("a", [h]);
/// let c = b.add_student("c", [h]);
/// b.push_tier(h, [c]);
/// let instance = b.build()?;
/// assert_eq!(instance.tier(c, h), 0);
/// assert_eq!(instance.tier(a, h), 1);
/// # Ok::<(), xuewei_core::ValidationErrors>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct InstanceBuilder {
    schools: Vec<SchoolDraft>,
    student_names: Vec<String>,
    pref_offsets: Vec<u32>,
    pref_schools: Vec<SchoolId>,
    pref_overflow: bool,
    score: Vec<Option<f64>>,
    group: Vec<u32>,
    group_names: Vec<String>,
    group_index: HashMap<String, GroupId>,
    lottery: Option<Vec<StudentId>>,
    errors: Vec<ValidationError>,
}

impl InstanceBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self {
            pref_offsets: vec![0],
            ..Self::default()
        }
    }

    /// An empty builder with room for the given numbers of schools, pupils and preference
    /// entries.
    #[must_use]
    pub fn with_capacity(n_schools: usize, n_students: usize, n_entries: usize) -> Self {
        let mut pref_offsets = Vec::with_capacity(n_students + 1);
        pref_offsets.push(0);
        Self {
            schools: Vec::with_capacity(n_schools),
            student_names: Vec::with_capacity(n_students),
            pref_offsets,
            pref_schools: Vec::with_capacity(n_entries),
            score: Vec::with_capacity(n_students),
            group: Vec::with_capacity(n_students),
            ..Self::default()
        }
    }

    /// Adds a school with `capacity` seats and no priority tiers (all applicants tied).
    pub fn add_school(&mut self, name: impl Into<String>, capacity: u32) -> SchoolId {
        let id = SchoolId::from_index(self.schools.len());
        self.schools.push(SchoolDraft {
            name: name.into(),
            capacity,
            ..SchoolDraft::default()
        });
        id
    }

    /// Adds a pupil with their acceptable schools, best first.
    pub fn add_student(
        &mut self,
        name: impl Into<String>,
        preferences: impl IntoIterator<Item = SchoolId>,
    ) -> StudentId {
        let id = StudentId::from_index(self.student_names.len());
        self.student_names.push(name.into());
        self.pref_schools.extend(preferences);
        match u32::try_from(self.pref_schools.len()) {
            Ok(end) if end != NONE => self.pref_offsets.push(end),
            _ => {
                self.pref_overflow = true;
                self.pref_offsets.push(NONE);
            }
        }
        self.score.push(None);
        self.group.push(NONE);
        id
    }

    /// Appends a priority tier (below the tiers already pushed) to a school.
    pub fn push_tier(&mut self, school: SchoolId, students: impl IntoIterator<Item = StudentId>) {
        self.schools[school.index()]
            .tiers
            .push(students.into_iter().collect());
    }

    /// Sets a pupil's score (used by the serial mechanism, 分数优先).
    pub fn set_score(&mut self, student: StudentId, score: f64) {
        if score.is_finite() && score >= 0.0 {
            self.score[student.index()] = Some(score);
        } else {
            self.errors.push(ValidationError::InvalidNumber {
                record: Record::Pupil(self.student_names[student.index()].clone()),
                field: "score",
                value: score.to_string(),
                expected: "a finite, non-negative number",
            });
        }
    }

    /// The id of a group by name, created on first use.
    pub fn group(&mut self, name: &str) -> GroupId {
        if let Some(&g) = self.group_index.get(name) {
            return g;
        }
        let g = GroupId::from_index(self.group_names.len());
        self.group_names.push(name.to_owned());
        self.group_index.insert(name.to_owned(), g);
        g
    }

    /// Puts a pupil in a group.
    pub fn set_group(&mut self, student: StudentId, group: GroupId) {
        self.group[student.index()] = group.0;
    }

    /// Reserves `seats` of a school's seats for a group.
    pub fn add_reserve(&mut self, school: SchoolId, group: GroupId, seats: u32) {
        self.schools[school.index()]
            .reserves
            .push(Reserve { group, seats });
    }

    /// Sets how a school with reserves fills them.
    pub fn set_reserve_policy(
        &mut self,
        school: SchoolId,
        order: ReserveOrder,
        unfilled: UnfilledReserves,
    ) {
        let d = &mut self.schools[school.index()];
        d.order = order;
        d.unfilled = unfilled;
    }

    /// Gives a published single tie-break draw (best first); it must order every pupil once.
    pub fn set_lottery(&mut self, order: Vec<StudentId>) {
        self.lottery = Some(order);
    }

    /// Records a problem found by a loader, so that [`build`](Self::build) reports it with the
    /// rest.
    pub fn push_error(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// Validates and freezes the instance.
    ///
    /// # Errors
    /// Every problem found: duplicate ids, a school listed twice by one pupil, a pupil twice
    /// in one priority list, reserves above capacity, a draw that misses or repeats pupils,
    /// sizes beyond `u32`, plus any error recorded earlier.
    pub fn build(self) -> Result<Instance, ValidationErrors> {
        let mut errors = self.errors;
        let n = self.student_names.len();
        let m = self.schools.len();
        let limit = u64::from(NONE - 1);
        for (what, count) in [("pupils", n as u64), ("schools", m as u64)] {
            if count > limit {
                errors.push(ValidationError::TooLarge { what, count, limit });
            }
        }
        if self.pref_overflow {
            errors.push(ValidationError::TooLarge {
                what: "preference entries",
                count: self.pref_schools.len() as u64,
                limit,
            });
        }
        if errors
            .iter()
            .any(|e| matches!(e, ValidationError::TooLarge { .. }))
        {
            return Err(Problems(errors));
        }

        check_unique(&self.student_names, &mut errors, |id| {
            ValidationError::DuplicateStudent { id }
        });
        check_unique(
            &self
                .schools
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>(),
            &mut errors,
            |id| ValidationError::DuplicateSchool { id },
        );

        // Preference lists: no school twice.
        let mut seen = vec![NONE; m];
        for st in 0..n {
            let range = self.pref_offsets[st] as usize..self.pref_offsets[st + 1] as usize;
            for (position, &s) in self.pref_schools[range].iter().enumerate() {
                if s.index() >= m {
                    errors.push(ValidationError::UnknownSchoolInPreferences {
                        student: self.student_names[st].clone(),
                        position,
                        school: s.to_string(),
                    });
                    continue;
                }
                if seen[s.index()] == st as u32 {
                    errors.push(ValidationError::RepeatedPreference {
                        student: self.student_names[st].clone(),
                        school: self.schools[s.index()].name.clone(),
                    });
                }
                seen[s.index()] = st as u32;
            }
        }

        // Priorities: flatten in tier order; no pupil twice at a school.
        let mut prio_offsets = Vec::with_capacity(m + 1);
        prio_offsets.push(0u32);
        let mut prio_students = Vec::new();
        let mut prio_tiers = Vec::new();
        let mut n_tiers = Vec::with_capacity(m);
        let mut mark = vec![NONE; n];
        for (s, d) in self.schools.iter().enumerate() {
            for (t, tier) in d.tiers.iter().enumerate() {
                for &st in tier {
                    if st.index() >= n {
                        errors.push(ValidationError::UnknownStudentInPriority {
                            school: d.name.clone(),
                            tier: t,
                            student: st.to_string(),
                        });
                        continue;
                    }
                    if mark[st.index()] == s as u32 {
                        errors.push(ValidationError::RepeatedInPriority {
                            school: d.name.clone(),
                            student: self.student_names[st.index()].clone(),
                        });
                        continue;
                    }
                    mark[st.index()] = s as u32;
                    prio_students.push(st);
                    prio_tiers.push(t as u32);
                }
            }
            n_tiers.push(d.tiers.len() as u32);
            prio_offsets.push(prio_students.len() as u32);
        }

        // Reserves.
        let mut reserve_of = vec![NONE; m];
        let mut reserve_policies = Vec::new();
        for (s, d) in self.schools.iter().enumerate() {
            if d.reserves.is_empty() {
                continue;
            }
            let policy = ReservePolicy {
                reserves: d.reserves.clone(),
                order: d.order,
                unfilled: d.unfilled,
            };
            let reserved = policy.reserved_seats();
            if reserved > u64::from(d.capacity) {
                errors.push(ValidationError::ReservesExceedCapacity {
                    school: d.name.clone(),
                    reserved,
                    capacity: d.capacity,
                });
            }
            for (i, r) in d.reserves.iter().enumerate() {
                if d.reserves[..i].iter().any(|q| q.group == r.group) {
                    errors.push(ValidationError::RepeatedReserve {
                        school: d.name.clone(),
                        group: self.group_names[r.group.index()].clone(),
                    });
                }
            }
            reserve_of[s] = reserve_policies.len() as u32;
            reserve_policies.push(policy);
        }

        // Lottery: a permutation of all pupils.
        if let Some(order) = &self.lottery {
            let mut drawn = vec![false; n];
            for (position, &st) in order.iter().enumerate() {
                if st.index() >= n {
                    errors.push(ValidationError::UnknownStudentInLottery {
                        position,
                        student: st.to_string(),
                    });
                } else if drawn[st.index()] {
                    errors.push(ValidationError::RepeatedInLottery {
                        position,
                        student: self.student_names[st.index()].clone(),
                    });
                } else {
                    drawn[st.index()] = true;
                }
            }
            let missing = drawn.iter().filter(|d| !**d).count();
            if let Some(first) = drawn.iter().position(|d| !*d) {
                errors.push(ValidationError::LotteryIncomplete {
                    missing,
                    first: self.student_names[first].clone(),
                });
            }
        }

        if !errors.is_empty() {
            return Err(Problems(errors));
        }

        let mut instance = Instance {
            school_names: self.schools.iter().map(|d| d.name.clone()).collect(),
            student_names: self.student_names,
            group_names: self.group_names,
            capacity: self.schools.iter().map(|d| d.capacity).collect(),
            pref_offsets: self.pref_offsets,
            pref_schools: self.pref_schools,
            pref_tier: Vec::new(),
            prio_offsets,
            prio_students,
            prio_tiers,
            n_tiers,
            score: self.score,
            group: self.group,
            reserve_of,
            reserve_policies,
            lottery: self.lottery,
        };
        instance.pref_tier = compute_pref_tiers(&instance);
        Ok(instance)
    }
}

fn check_unique(
    names: &[String],
    errors: &mut Vec<ValidationError>,
    make: impl Fn(String) -> ValidationError,
) {
    // Fx hashing: ids are not attacker-chosen keys here, and SipHash dominated building a
    // million-pupil instance.
    let mut seen: rustc_hash::FxHashSet<&str> =
        rustc_hash::FxHashSet::with_capacity_and_hasher(names.len(), Default::default());
    for name in names {
        if !seen.insert(name.as_str()) {
            errors.push(make(name.clone()));
        }
    }
}

/// The tier of each preference entry's pupil at that entry's school, by scattering each
/// school's named pupils into a scratch array: O(entries + named).
fn compute_pref_tiers(inst: &Instance) -> Vec<u32> {
    let (offsets, entries) = inst.applicant_index();
    let owners = inst.entry_students();
    let mut tier_of = vec![NONE; inst.n_students()];
    let mut out = vec![0u32; inst.pref_schools.len()];
    for school in inst.schools() {
        let named = inst.prio_range(school);
        for i in named.clone() {
            tier_of[inst.prio_students[i].index()] = inst.prio_tiers[i];
        }
        let unnamed = inst.n_tiers[school.index()];
        let apps = offsets[school.index()] as usize..offsets[school.index() + 1] as usize;
        for &k in &entries[apps] {
            let t = tier_of[owners[k as usize].index()];
            out[k as usize] = if t == NONE { unnamed } else { t };
        }
        for i in named {
            tier_of[inst.prio_students[i].index()] = NONE;
        }
    }
    out
}
