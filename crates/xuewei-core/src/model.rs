//! The planning model: school stages, sectors and the class-size policy.
//!
//! These are the domain words the city layer, the class-size measures and the scenarios
//! share. The matching [`Instance`](crate::Instance) itself needs only seats, priorities and
//! lists; the city layer compiles these into one.

use std::fmt;
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

/// Class-size standards and the thresholds of the plan's targets.
///
/// Defaults: standard class of 45 pupils in primary and 50 in junior and senior high
/// (GB 50099-2011), 30 in kindergarten; a large class (大班额) has 56 or more pupils, a
/// super-large class (超大班额) 66 or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassSizePolicy {
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

impl Default for ClassSizePolicy {
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

impl ClassSizePolicy {
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
