//! The planning model: school stages, values per stage, and sectors.
//!
//! These are the domain words the city layer, the class-size measures and the scenarios
//! share (the class-size standards and seat rules live in [`class_size`](crate::class_size)). The matching [`Instance`](crate::Instance) itself needs only seats, priorities and
//! lists; the city layer compiles these into one.

use std::fmt;
use std::ops::{Index, IndexMut};
use std::str::FromStr;

/// A school stage.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Kindergarten (幼儿园).
    Kindergarten,
    /// Primary school (小学), six grades (the default).
    #[default]
    Primary,
    /// Junior high (初中), three grades.
    Junior,
    /// Senior high (高中), three grades.
    Senior,
}

impl Stage {
    /// All stages, youngest first.
    pub const ALL: [Stage; 4] = [
        Stage::Kindergarten,
        Stage::Primary,
        Stage::Junior,
        Stage::Senior,
    ];

    /// The position of the stage in [`Stage::ALL`], for per-stage arrays.
    #[must_use]
    pub const fn index(self) -> usize {
        match self {
            Stage::Kindergarten => 0,
            Stage::Primary => 1,
            Stage::Junior => 2,
            Stage::Senior => 3,
        }
    }

    /// The lowercase name used in files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Stage::Kindergarten => "kindergarten",
            Stage::Primary => "primary",
            Stage::Junior => "junior",
            Stage::Senior => "senior",
        }
    }

    /// Number of grades.
    #[must_use]
    pub fn grades(self) -> u32 {
        match self {
            Stage::Kindergarten | Stage::Junior | Stage::Senior => 3,
            Stage::Primary => 6,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A stage name that is not one of `kindergarten`, `primary`, `junior`, `senior`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage \"{0}\" (expected kindergarten, primary, junior or senior)")]
pub struct UnknownStage(pub String);

impl FromStr for Stage {
    type Err = UnknownStage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kindergarten" => Ok(Stage::Kindergarten),
            "primary" => Ok(Stage::Primary),
            "junior" => Ok(Stage::Junior),
            "senior" => Ok(Stage::Senior),
            _ => Err(UnknownStage(s.to_owned())),
        }
    }
}

/// Who runs a school.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Sector {
    /// Public (公办).
    #[default]
    Public,
    /// Private (民办), admitting by its own lottery among applicants.
    Private,
}

/// One value per [`Stage`]: indexed by a stage, iterated in [`Stage::ALL`] order.
///
/// Its text form is either one value for every stage (`cap:56`) or a comma-separated list
/// of `stage=value` (`primary=cap:56,junior=standard`); see [`parse_onto`](Self::parse_onto).
///
/// ```
/// use xuewei_core::{PerStage, SeatRule, Stage};
/// let rules: PerStage<SeatRule> = "guarantee,primary=cap:56".parse()?;
/// assert_eq!(rules[Stage::Primary], SeatRule::Cap(56));
/// assert_eq!(rules[Stage::Junior], SeatRule::Guarantee);
/// assert_eq!(rules.to_string(), "kindergarten=guarantee,primary=cap:56,junior=guarantee,senior=guarantee");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PerStage<T>([T; 4]);

impl<T> PerStage<T> {
    /// The values, in [`Stage::ALL`] order.
    #[must_use]
    pub const fn new(values: [T; 4]) -> Self {
        Self(values)
    }

    /// The value `f(stage)` for every stage.
    #[must_use]
    pub fn from_fn(mut f: impl FnMut(Stage) -> T) -> Self {
        Self(Stage::ALL.map(&mut f))
    }

    /// Each stage with its value, in [`Stage::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Stage, &T)> + '_ {
        Stage::ALL.into_iter().zip(&self.0)
    }

    /// Each stage with a mutable reference to its value, in [`Stage::ALL`] order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Stage, &mut T)> + '_ {
        Stage::ALL.into_iter().zip(&mut self.0)
    }
}

impl<T: Clone> PerStage<T> {
    /// The same value for every stage.
    #[must_use]
    pub fn splat(value: T) -> Self {
        Self::from_fn(|_| value.clone())
    }
}

impl<T> Index<Stage> for PerStage<T> {
    type Output = T;
    fn index(&self, stage: Stage) -> &T {
        &self.0[stage.index()]
    }
}

impl<T> IndexMut<Stage> for PerStage<T> {
    fn index_mut(&mut self, stage: Stage) -> &mut T {
        &mut self.0[stage.index()]
    }
}

impl<T> IntoIterator for PerStage<T> {
    type Item = (Stage, T);
    type IntoIter = std::iter::Zip<std::array::IntoIter<Stage, 4>, std::array::IntoIter<T, 4>>;
    fn into_iter(self) -> Self::IntoIter {
        Stage::ALL.into_iter().zip(self.0)
    }
}

impl<'a, T> IntoIterator for &'a PerStage<T> {
    type Item = (Stage, &'a T);
    type IntoIter = std::iter::Zip<std::array::IntoIter<Stage, 4>, std::slice::Iter<'a, T>>;
    fn into_iter(self) -> Self::IntoIter {
        Stage::ALL.into_iter().zip(self.0.iter())
    }
}

/// Why the text of a [`PerStage`] value did not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PerStageError<E> {
    /// The name before a `=` is not a stage.
    #[error(transparent)]
    Stage(#[from] UnknownStage),
    /// A value did not parse.
    #[error(transparent)]
    Value(E),
}

impl<T: FromStr> PerStage<T> {
    /// Parses `value` (every stage) or a comma-separated list of `stage=value` on top of
    /// these values, left to right: `cap:56,junior=standard` sets every stage to `cap:56`,
    /// then junior to `standard`. Spaces around names and values are ignored.
    ///
    /// # Errors
    ///
    /// The first part whose stage or value does not parse; `self` is not changed then.
    pub fn parse_onto(mut self, text: &str) -> Result<Self, PerStageError<T::Err>>
    where
        T: Clone,
    {
        for part in text.split(',') {
            match part.split_once('=') {
                Some((stage, value)) => {
                    let stage: Stage = stage.trim().parse()?;
                    self[stage] = value.trim().parse().map_err(PerStageError::Value)?;
                }
                None => self = Self::splat(part.trim().parse().map_err(PerStageError::Value)?),
            }
        }
        Ok(self)
    }
}

/// Parses the text form on top of the default value of every stage (see
/// [`PerStage::parse_onto`]).
impl<T: FromStr + Clone + Default> FromStr for PerStage<T> {
    type Err = PerStageError<T::Err>;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::default().parse_onto(s)
    }
}

/// One value when every stage has the same (`cap:56`), else `stage=value` for every stage,
/// comma-separated: the text [`FromStr`] reads back.
impl<T: fmt::Display + PartialEq> fmt::Display for PerStage<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [first, rest @ ..] = &self.0;
        if rest.iter().all(|v| v == first) {
            return write!(f, "{first}");
        }
        for (i, (stage, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{stage}={value}")?;
        }
        Ok(())
    }
}
