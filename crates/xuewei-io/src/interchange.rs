//! The JSON interchange format of `xuewei match`: what an admissions system hands xuewei and
//! what it gets back. Documented in `docs/formats.md`.
//!
//! ```
//! use xuewei_core::{solve, SolveParams};
//! use xuewei_io::interchange::{MatchInput, MatchOutput};
//! let input = MatchInput::from_json("input.json", r#"{
//!   "schools": [{"id": "H", "capacity": 1, "priority": [["b"]]}],
//!   "students": [{"id": "a", "preferences": ["H"]}, {"id": "b", "preferences": ["H"]}]
//! }"#)?;
//! let instance = input.to_instance()?;
//! let outcome = solve(&instance, &SolveParams::default())?;
//! let output = MatchOutput::new(&instance, &outcome);
//! assert_eq!(output.assignment.get("b"), Some(Some("H")));
//! assert_eq!(output.assignment.get("a"), Some(None));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use xuewei_core::{
    cutoffs, reserve_use, ChoiceBand, DrawSource, Instance, InstanceBuilder, Mechanism, Outcome,
    Record, ReserveOrder, SchoolId, StudentId, TieBreak, UnfilledReserves, ValidationError,
    ValidationErrors,
};

use crate::error::LoadError;
use crate::text::Reader;

/// An id written as a JSON string (numbers are accepted and read as their decimal text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Id(s)),
            serde_json::Value::Number(n) => Ok(Id(n.to_string())),
            other => Err(de::Error::custom(format!(
                "an id must be a string or a number, found {other}"
            ))),
        }
    }
}

/// The whole input of `xuewei match`.
#[derive(Clone, Debug, Deserialize)]
pub struct MatchInput {
    /// The schools.
    pub schools: Vec<SchoolRecord>,
    /// The pupils (`students` in the file).
    pub students: Vec<StudentRecord>,
    /// A published single tie-break draw, best first; it must name every pupil once.
    #[serde(default)]
    pub lottery: Option<Vec<Id>>,
}

/// One school of the interchange file.
#[derive(Clone, Debug, Deserialize)]
pub struct SchoolRecord {
    /// Unique id.
    pub id: Id,
    /// Seats: a non-negative integer.
    pub capacity: serde_json::Value,
    /// Priority tiers, highest first; pupils in one tier are tied; pupils not named rank
    /// below every named one, tied among themselves.
    #[serde(default)]
    pub priority: Vec<Vec<Id>>,
    /// Seats reserved for groups (指标到校 quota places).
    #[serde(default)]
    pub reserves: Vec<ReserveRecord>,
    /// `reserved-first` (default) or `open-first`.
    #[serde(default)]
    pub reserve_order: Option<String>,
    /// `open` (default: unfilled reserved seats revert to open) or `empty`.
    #[serde(default)]
    pub unfilled_reserves: Option<String>,
}

/// Seats of a school reserved for a group.
#[derive(Clone, Debug, Deserialize)]
pub struct ReserveRecord {
    /// The group (pupils carry it in their `group` field).
    pub group: Id,
    /// How many seats: a non-negative integer.
    pub seats: serde_json::Value,
}

/// One pupil of the interchange file.
#[derive(Clone, Debug, Deserialize)]
pub struct StudentRecord {
    /// Unique id.
    pub id: Id,
    /// Acceptable schools, best first; unlisted schools are unacceptable.
    #[serde(default)]
    pub preferences: Vec<Id>,
    /// Exam score (serial mechanism): a finite, non-negative number.
    #[serde(default)]
    pub score: Option<serde_json::Value>,
    /// Group, for reserved seats.
    #[serde(default)]
    pub group: Option<Id>,
}

impl MatchInput {
    /// Parses the JSON text of the file named `file` (a byte-order mark is dropped).
    ///
    /// # Errors
    /// [`LoadError::Json`] with the line and column of malformed JSON or of a field of the
    /// wrong shape.
    pub fn from_json(file: &str, text: &str) -> Result<Self, LoadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text).map_err(|e| {
            // serde_json ends its message with the position, which the error shows first.
            let message = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            LoadError::Json {
                file: file.to_owned(),
                line: e.line(),
                column: e.column(),
                message: message.strip_suffix(&at).unwrap_or(&message).to_owned(),
            }
        })
    }

    /// Reads and parses a file; messages name it by `path` as given.
    ///
    /// # Errors
    /// The file cannot be read or decoded, or anything [`MatchInput::from_json`] reports.
    pub fn load(path: &Path, reader: &Reader<'_>) -> Result<Self, LoadError> {
        let text = reader.read(path)?;
        Self::from_json(&path.display().to_string(), &text)
    }

    /// Validates and converts to an [`Instance`].
    ///
    /// # Errors
    /// Every problem at once: unknown or repeated ids in lists, duplicate ids, capacities or
    /// seats that are not non-negative integers, reserves above capacity, bad scores, unknown
    /// option values, and a lottery that misses or repeats pupils.
    pub fn to_instance(&self) -> Result<Instance, ValidationErrors> {
        let mut b = InstanceBuilder::with_capacity(
            self.schools.len(),
            self.students.len(),
            self.students.iter().map(|s| s.preferences.len()).sum(),
        );
        let mut errors = Vec::new();
        let mut school_ids: HashMap<&str, SchoolId> = HashMap::with_capacity(self.schools.len());
        let mut schools = Vec::with_capacity(self.schools.len());
        for rec in &self.schools {
            let record = Record::School(rec.id.0.clone());
            let capacity = non_negative_u32(&rec.capacity, &record, "capacity", &mut errors);
            let id = b.add_school(rec.id.0.clone(), capacity);
            school_ids.entry(rec.id.0.as_str()).or_insert(id);
            schools.push(id);
        }
        let mut student_ids: HashMap<&str, StudentId> = HashMap::with_capacity(self.students.len());
        for rec in &self.students {
            let mut prefs = Vec::with_capacity(rec.preferences.len());
            for (position, s) in rec.preferences.iter().enumerate() {
                match school_ids.get(s.0.as_str()) {
                    Some(&id) => prefs.push(id),
                    None => errors.push(ValidationError::UnknownSchoolInPreferences {
                        student: rec.id.0.clone(),
                        position,
                        school: s.0.clone(),
                    }),
                }
            }
            let id = b.add_student(rec.id.0.clone(), prefs);
            student_ids.entry(rec.id.0.as_str()).or_insert(id);
            if let Some(v) = &rec.score {
                match v.as_f64() {
                    Some(x) => b.set_score(id, x),
                    None => errors.push(ValidationError::InvalidNumber {
                        record: Record::Pupil(rec.id.0.clone()),
                        field: "score",
                        value: v.to_string(),
                        expected: "a finite, non-negative number",
                    }),
                }
            }
            if let Some(g) = &rec.group {
                let g = b.group(&g.0);
                b.set_group(id, g);
            }
        }
        for (rec, &school) in self.schools.iter().zip(&schools) {
            let record = Record::School(rec.id.0.clone());
            for (t, tier) in rec.priority.iter().enumerate() {
                let mut members = Vec::with_capacity(tier.len());
                for st in tier {
                    match student_ids.get(st.0.as_str()) {
                        Some(&id) => members.push(id),
                        None => errors.push(ValidationError::UnknownStudentInPriority {
                            school: rec.id.0.clone(),
                            tier: t,
                            student: st.0.clone(),
                        }),
                    }
                }
                b.push_tier(school, members);
            }
            for r in &rec.reserves {
                let seats = non_negative_u32(&r.seats, &record, "reserves.seats", &mut errors);
                let g = b.group(&r.group.0);
                b.add_reserve(school, g, seats);
            }
            let order = match rec.reserve_order.as_deref() {
                None | Some("reserved-first") => ReserveOrder::ReservedFirst,
                Some("open-first") => ReserveOrder::OpenFirst,
                Some(other) => {
                    errors.push(ValidationError::InvalidNumber {
                        record: record.clone(),
                        field: "reserve_order",
                        value: format!("\"{other}\""),
                        expected: "\"reserved-first\" or \"open-first\"",
                    });
                    ReserveOrder::ReservedFirst
                }
            };
            let unfilled = match rec.unfilled_reserves.as_deref() {
                None | Some("open") => UnfilledReserves::Open,
                Some("empty") => UnfilledReserves::Empty,
                Some(other) => {
                    errors.push(ValidationError::InvalidNumber {
                        record: record.clone(),
                        field: "unfilled_reserves",
                        value: format!("\"{other}\""),
                        expected: "\"open\" or \"empty\"",
                    });
                    UnfilledReserves::Open
                }
            };
            b.set_reserve_policy(school, order, unfilled);
        }
        if let Some(lottery) = &self.lottery {
            let mut order = Vec::with_capacity(lottery.len());
            for (position, st) in lottery.iter().enumerate() {
                match student_ids.get(st.0.as_str()) {
                    Some(&id) => order.push(id),
                    None => errors.push(ValidationError::UnknownStudentInLottery {
                        position,
                        student: st.0.clone(),
                    }),
                }
            }
            // Repeats and misses are checked whatever else is wrong, unless the draw names
            // unknown pupils (their positions would no longer be the file's).
            if order.len() == lottery.len() {
                b.set_lottery(order);
            }
        }
        for e in errors {
            b.push_error(e);
        }
        b.build()
    }
}

fn non_negative_u32(
    v: &serde_json::Value,
    record: &Record,
    field: &'static str,
    errors: &mut Vec<ValidationError>,
) -> u32 {
    match v.as_u64().and_then(|x| u32::try_from(x).ok()) {
        Some(x) if x != u32::MAX => x,
        _ => {
            errors.push(ValidationError::InvalidNumber {
                record: record.clone(),
                field,
                value: v.to_string(),
                expected: "a non-negative integer below 4294967295",
            });
            0
        }
    }
}

/// Pupil id → school id (or `null`), serialised as a JSON object in pupil input order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssignmentMap(pub Vec<(String, Option<String>)>);

impl AssignmentMap {
    /// The school of a pupil: `None` if the pupil is unknown, `Some(None)` if unplaced.
    #[must_use]
    pub fn get(&self, pupil: &str) -> Option<Option<&str>> {
        self.0
            .iter()
            .find(|(p, _)| p == pupil)
            .map(|(_, s)| s.as_deref())
    }
}

impl Serialize for AssignmentMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The lowest-ranked pupil a school admitted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CutoffRecord {
    /// Their priority tier (0 = the school's first `priority` tier; the number of tiers
    /// means "not named").
    pub tier: u32,
    /// Their lottery number at the school (position in the single draw, or the per-school
    /// number under multiple tie-breaking); lower wins.
    pub lottery: u32,
    /// Who it was.
    pub pupil: String,
    /// Their score, when they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// How a reserved block was used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReserveResult {
    /// The group.
    pub group: String,
    /// Seats reserved.
    pub seats: u32,
    /// Seats of the block taken (by members, or by others where unfilled seats revert).
    pub filled: u32,
}

/// One school's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchoolResult {
    /// School id.
    pub id: String,
    /// Seats.
    pub seats: u32,
    /// Pupils admitted.
    pub filled: u32,
    /// The lowest-ranked admission, `null` when nobody was admitted.
    pub cutoff: Option<CutoffRecord>,
    /// Reserved blocks, when the school has any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reserves: Vec<ReserveResult>,
}

/// A pupil left without a school, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnplacedRecord {
    /// Pupil id.
    pub pupil: String,
    /// Why.
    pub reason: String,
}

/// Run statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatsRecord {
    /// Pupils in the input.
    pub pupils: usize,
    /// Pupils placed.
    pub placed: usize,
    /// Pupils unplaced.
    pub unplaced: usize,
    /// Total seats.
    pub seats: u64,
    /// Applications made.
    pub proposals: u64,
    /// Rounds, where the mechanism has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u32>,
    /// Stable improvement cycles carried out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub improvement_cycles: Option<u64>,
    /// Pupils who moved up along them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub students_improved: Option<u64>,
    /// `placed_by_choice[k]`: pupils placed at the (k+1)-th school of their list.
    pub placed_by_choice: Vec<u64>,
}

/// The whole output of `xuewei match`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatchOutput {
    /// Mechanism name (`da`, `school-da`, `boston`, `ttc`, `serial`, `parallel`).
    pub mechanism: &'static str,
    /// The band of the parallel mechanism (`null` for unlimited).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Option<u32>>,
    /// `single` or `multiple`.
    pub tie_break: &'static str,
    /// The seed of the draw, `null` when the draw was given.
    pub seed: Option<u64>,
    /// Whether stable improvement cycles ran.
    pub improved: bool,
    /// Every input pupil → their school or `null`.
    pub assignment: AssignmentMap,
    /// Per school: seats, filled, cutoff, reserves.
    pub schools: Vec<SchoolResult>,
    /// Every unplaced pupil with a reason.
    pub unplaced: Vec<UnplacedRecord>,
    /// Counters.
    pub stats: StatsRecord,
    /// The single draw, best first (`null` under multiple tie-breaking, where each school
    /// draws its own order from the seed).
    pub lottery: Option<Vec<String>>,
}

impl MatchOutput {
    /// Builds the output of a run.
    #[must_use]
    pub fn new(instance: &Instance, outcome: &Outcome) -> Self {
        let asg = &outcome.assignment;
        let lottery = &outcome.lottery;
        let cut = cutoffs(instance, lottery, asg);
        let by_school = asg.by_school(instance.n_schools());
        let filled = asg.filled(instance.n_schools());
        let schools = instance
            .schools()
            .map(|s| {
                let reserves = reserve_use(instance, lottery, s, by_school.students_at(s))
                    .into_iter()
                    .map(|r| ReserveResult {
                        group: instance.group_name(r.group).to_owned(),
                        seats: r.seats,
                        filled: r.filled,
                    })
                    .collect();
                SchoolResult {
                    id: instance.school_name(s).to_owned(),
                    seats: instance.capacity(s),
                    filled: filled[s.index()],
                    cutoff: cut[s.index()].map(|r| CutoffRecord {
                        tier: r.tier(),
                        lottery: r.number(),
                        pupil: instance.student_name(r.student()).to_owned(),
                        score: instance.score(r.student()),
                    }),
                    reserves,
                }
            })
            .collect();
        let mut unplaced = Vec::new();
        let mut by_choice = Vec::new();
        let mut assignment = Vec::with_capacity(asg.len());
        for (st, s) in asg.iter() {
            assignment.push((
                instance.student_name(st).to_owned(),
                s.map(|s| instance.school_name(s).to_owned()),
            ));
            match asg.choice_rank(instance, st) {
                Some(k) => {
                    if by_choice.len() <= k {
                        by_choice.resize(k + 1, 0u64);
                    }
                    by_choice[k] += 1;
                }
                None if s.is_none() => unplaced.push(UnplacedRecord {
                    pupil: instance.student_name(st).to_owned(),
                    reason: unplaced_reason(instance.preferences(st).len()),
                }),
                None => {}
            }
        }
        let stats = asg.stats();
        let n_placed = asg.n_placed();
        MatchOutput {
            mechanism: outcome.mechanism.name(),
            band: match outcome.mechanism {
                Mechanism::ChenKesten(ChoiceBand::Choices(e)) => Some(Some(e.max(1))),
                Mechanism::ChenKesten(ChoiceBand::Unlimited) => Some(None),
                _ => None,
            },
            tie_break: match lottery.tie_break() {
                TieBreak::Multiple => "multiple",
                _ => "single",
            },
            seed: match lottery.source() {
                DrawSource::Seeded(seed) => Some(seed),
                _ => None,
            },
            improved: outcome.improved,
            assignment: AssignmentMap(assignment),
            schools,
            unplaced,
            stats: StatsRecord {
                pupils: asg.len(),
                placed: n_placed,
                unplaced: asg.len() - n_placed,
                seats: instance.total_seats(),
                proposals: stats.proposals,
                rounds: stats.rounds,
                improvement_cycles: outcome.improved.then_some(stats.improvement_cycles),
                students_improved: outcome.improved.then_some(stats.students_improved),
                placed_by_choice: by_choice,
            },
            lottery: (lottery.tie_break() == TieBreak::Single).then(|| {
                lottery
                    .order()
                    .into_iter()
                    .map(|st| instance.student_name(st).to_owned())
                    .collect()
            }),
        }
    }
}

impl MatchOutput {
    /// Writes the output as pretty-printed JSON and a final newline.
    ///
    /// # Errors
    /// Write errors.
    pub fn write(&self, mut out: impl Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }
}

fn unplaced_reason(n_listed: usize) -> String {
    match n_listed {
        0 => "listed no school".to_owned(),
        1 => "not admitted at the one school listed".to_owned(),
        n => format!("not admitted at any of the {n} schools listed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bad numbers and option values name the school or pupil as a typed record, and the
    /// field.
    #[test]
    fn invalid_numbers_name_record_and_field() {
        let input = MatchInput::from_json(
            "input.json",
            r#"{"schools": [{"id": "H", "capacity": -1, "reserve_order": "last"}],
                "students": [{"id": "a", "preferences": ["H"], "score": "high"}]}"#,
        )
        .expect("well-formed");
        let e = input.to_instance().expect_err("bad numbers");
        let invalid = |record, field, value: &str, expected| ValidationError::InvalidNumber {
            record,
            field,
            value: value.into(),
            expected,
        };
        let h = || Record::School("H".into());
        assert_eq!(
            e.errors(),
            [
                invalid(
                    h(),
                    "capacity",
                    "-1",
                    "a non-negative integer below 4294967295"
                ),
                invalid(
                    Record::Pupil("a".into()),
                    "score",
                    "\"high\"",
                    "a finite, non-negative number"
                ),
                invalid(
                    h(),
                    "reserve_order",
                    "\"last\"",
                    "\"reserved-first\" or \"open-first\""
                ),
            ]
        );
        assert_eq!(
            e.errors()[0].to_string(),
            "school \"H\": field \"capacity\": -1 is not a non-negative integer below 4294967295"
        );
    }
}
