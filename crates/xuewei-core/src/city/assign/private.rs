//! Step 1: private schools (民办) admit first, by one lottery among the pupils who list
//! them: deferred acceptance over each applicant's private choices, all applicants tied.
//! Admitted pupils leave the public pool.

use super::placement::{Draw, How};
use super::stage::{Seating, StageInput};
use crate::deferred_acceptance;
use crate::ids::{SchoolId, StudentId};
use crate::instance::InstanceBuilder;
use crate::lottery::{Lottery, LotteryParams};

/// Runs the stage's private lottery, seats its winners, and returns its draw (`None` when
/// the stage has no private school or nobody applies to one).
pub(super) fn admit(input: &StageInput<'_>, seating: &mut Seating) -> Option<Draw> {
    let city = input.city;
    if input.private.is_empty() {
        return None;
    }
    let mut local = vec![u32::MAX; city.schools.len()];
    let mut b = InstanceBuilder::new();
    for (i, &s) in input.private.iter().enumerate() {
        local[s as usize] = i as u32;
        b.add_school(city.schools[s as usize].id.clone(), input.seats[s as usize]);
    }
    let mut applicants = Vec::new();
    for (lp, &p) in input.pupils.iter().enumerate() {
        let list: Vec<SchoolId> = city.pupils[p as usize]
            .preferences
            .iter()
            .filter(|&&s| local[s as usize] != u32::MAX)
            .map(|&s| SchoolId(local[s as usize]))
            .collect();
        if !list.is_empty() {
            b.add_student(city.pupils[p as usize].id.clone(), list);
            applicants.push(lp);
        }
    }
    if applicants.is_empty() {
        return None;
    }
    let instance = b.build().expect("a validated city has unique pupil ids");
    let seed = input.seed(1);
    let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed));
    let a = deferred_acceptance(&instance, &lottery);
    for (k, &lp) in applicants.iter().enumerate() {
        if let Some(s) = a.school_of(StudentId::from_index(k)) {
            seating.seat(lp, input.private[s.index()], How::Private);
        }
    }
    Some(input.draw("private", seed, &lottery, |k| applicants[k]))
}
