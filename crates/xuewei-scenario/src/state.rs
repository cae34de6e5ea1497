//! The state of a city between years: schools with their rolls by grade, zones,
//! residential blocks with children by age, roads, and the policy in force.

use std::collections::HashMap;
use std::path::Path;

use geo::Point;
use xuewei_core::catchment::ZoneIndex;
use xuewei_core::city::records::{CsvTable, Fields, Ids};
use xuewei_core::city::roll::{read_roll, SchoolInfo};
use xuewei_core::city::{AssignParams, City, CityErrors, CityFiles, School, Zone};
use xuewei_core::distance::RoadNetwork;
use xuewei_core::{Sector, Stage};

use crate::error::ScenarioError;

/// Age at which pupils enter each stage (kindergarten 3, primary 6, junior 12, senior 15).
#[must_use]
pub fn entry_age(stage: Stage) -> usize {
    match stage {
        Stage::Kindergarten => 3,
        Stage::Primary => 6,
        Stage::Junior => 12,
        Stage::Senior => 15,
    }
}

/// Stages xuewei admits to, in order.
pub const STAGES: [Stage; 3] = [Stage::Primary, Stage::Junior, Stage::Senior];

/// A residential block (小区): where children live, by single year of age.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Block id.
    pub id: String,
    /// Location.
    pub location: Point<f64>,
    /// District name as written (学区 or county).
    pub district: String,
    /// Households.
    pub households: f64,
    /// Children by age 0..=17 (fractional after growth).
    pub children: [f64; 18],
}

/// One grade of a school's roll.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grade {
    /// Pupils.
    pub pupils: u32,
    /// Classrooms.
    pub classrooms: u32,
}

/// A school with its roll.
#[derive(Clone, Debug, PartialEq)]
pub struct SchoolState {
    /// The school (location, stage, entry classes, district index into [`CityState::districts`]).
    pub school: School,
    /// Whether it admits pupils this year.
    pub open: bool,
    /// Grades 1.. of its stage.
    pub grades: Vec<Grade>,
}

/// Shares that describe the families of a district, estimated from the base year's pupils.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Families {
    /// Local hukou.
    pub hukou: f64,
    /// Owns the home, given local hukou.
    pub home_if_local: f64,
    /// Owns the home, given migrant.
    pub home_if_migrant: f64,
    /// Residence permit, given migrant.
    pub permit_if_migrant: f64,
}

/// The policy in force: the admission parameters of [`assign`](fn@xuewei_core::city::assign) — the
/// seat rule per stage (`class_policy`), priority rules, tie-breaking, class-size
/// standards. Scenario files and `policy` edits set the first three; the runner sets each
/// year's `seed` (derived from the run's lottery seed and the year) when it admits.
pub type Policy = AssignParams;

/// Everything that carries over from one year to the next.
#[derive(Clone, Debug)]
pub struct CityState {
    /// Schools, in the base order, then those built.
    pub schools: Vec<SchoolState>,
    /// Zones (their `schools` index [`CityState::schools`]).
    pub zones: Vec<Zone>,
    /// District names (学区 / county), by index.
    pub districts: Vec<String>,
    /// Residential blocks.
    pub blocks: Vec<Block>,
    /// Road network.
    pub roads: Option<RoadNetwork>,
    /// Annual growth rate of children per district (index as `districts`).
    pub growth: Vec<f64>,
    /// Families per district, and city-wide as the last entry.
    pub families: Vec<Families>,
    /// Entrants per child of the entry age, per stage (indexed like [`Stage::ALL`]).
    pub participation: [f64; 4],
    /// Share of entrants applying to a private school, per stage (as in the base year).
    pub private_share: [f64; 4],
    /// The policy in force.
    pub policy: Policy,
}

impl CityState {
    /// Loads the base city from a directory laid out as `xuewei synth` writes it:
    /// `zones.geojson`, `schools.csv`, `pupils.csv`, `roll.csv`, `blocks.csv`, and optionally
    /// `roads.geojson`.
    ///
    /// Files must be UTF-8 (a byte-order mark is accepted); see
    /// [`load_with`](Self::load_with) to read other encodings.
    ///
    /// # Errors
    /// A missing or unreadable file, a file that is not UTF-8, or any problem the city
    /// loaders report.
    pub fn load(dir: &Path) -> Result<Self, ScenarioError> {
        Self::load_with(dir, |path| {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            String::from_utf8(bytes).map_err(|_| {
                "not UTF-8 text (save it as UTF-8, e.g. `iconv -f GBK -t UTF-8` for a GBK \
                 export; the xuewei command reads GBK itself)"
                    .to_owned()
            })
        })
    }

    /// [`load`](Self::load) with each file's text read by `read` (the command line passes
    /// one that also reads GBK, with a warning). An `Err` of `read` is the problem, without
    /// the path.
    ///
    /// # Errors
    /// As [`load`](Self::load).
    pub fn load_with(
        dir: &Path,
        read: impl Fn(&Path) -> Result<String, String>,
    ) -> Result<Self, ScenarioError> {
        let read = |name: &str| -> Result<String, ScenarioError> {
            let path = dir.join(name);
            read(&path).map_err(|message| ScenarioError::Io {
                path: path.display().to_string(),
                message,
            })
        };
        let (zones, schools, pupils, roll, blocks) = (
            read("zones.geojson")?,
            read("schools.csv")?,
            read("pupils.csv")?,
            read("roll.csv")?,
            read("blocks.csv")?,
        );
        let roads = if dir.join("roads.geojson").exists() {
            Some(read("roads.geojson")?)
        } else {
            None
        };
        let city = City::load(&CityFiles {
            zones: ("zones.geojson", &zones),
            schools: ("schools.csv", &schools),
            pupils: ("pupils.csv", &pupils),
            roads: roads.as_deref().map(|r| ("roads.geojson", r)),
        })
        .map_err(|e| ScenarioError::City(e.to_string()))?;
        let blocks = read_blocks(&blocks)?;
        Self::from_city(&city, &roll, blocks)
    }

    /// Builds the state from a loaded base city, its roll (CSV text) and its blocks.
    ///
    /// # Errors
    /// Problems in the roll.
    pub fn from_city(city: &City, roll: &str, blocks: Vec<Block>) -> Result<Self, ScenarioError> {
        let mut districts: Vec<String> = city.districts().to_vec();
        let known: HashMap<String, SchoolInfo> = city
            .schools()
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    SchoolInfo {
                        stage: s.stage,
                        district: s.district.map(|d| districts[d as usize].clone()),
                    },
                )
            })
            .collect();
        let rows = read_roll(("roll.csv", roll), &known)
            .map_err(|e| ScenarioError::City(e.to_string()))?;
        let index: HashMap<&str, usize> = city
            .schools()
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut schools: Vec<SchoolState> = city
            .schools()
            .iter()
            .map(|s| SchoolState {
                school: s.clone(),
                open: true,
                grades: vec![Grade::default(); s.stage.grades() as usize],
            })
            .collect();
        for row in rows {
            if let Some(&i) = index.get(row.school.as_str()) {
                schools[i].grades[row.grade as usize - 1] = Grade {
                    pupils: row.pupils,
                    classrooms: row.classrooms,
                };
            }
        }
        for b in &blocks {
            if !districts.contains(&b.district) {
                districts.push(b.district.clone());
            }
        }
        // Families per district from the base pupils (district of the zone they live in).
        let primary_zones: Vec<usize> = (0..city.zones().len())
            .filter(|&z| city.zones()[z].stage == Stage::Primary)
            .collect();
        let zindex = ZoneIndex::new(
            primary_zones
                .iter()
                .map(|&z| city.zones()[z].geometry.clone())
                .collect(),
        )
        .map_err(|e| ScenarioError::City(e.to_string()))?;
        let mut tally = vec![[0.0f64; 6]; districts.len() + 1];
        for p in city.pupils() {
            let d = zindex
                .locate(p.home)
                .zone
                .and_then(|z| city.zones()[primary_zones[z as usize]].district)
                .map_or(districts.len(), |d| d as usize);
            for t in [d, districts.len()] {
                let c = &mut tally[t];
                c[0] += 1.0;
                if p.hukou_local {
                    c[1] += 1.0;
                    c[2] += f64::from(u8::from(p.owns_home));
                } else {
                    c[3] += 1.0;
                    c[4] += f64::from(u8::from(p.owns_home));
                    c[5] += f64::from(u8::from(p.residence_permit));
                }
            }
        }
        let ratio = |a: f64, b: f64, default: f64| if b > 0.0 { a / b } else { default };
        let city_wide = tally[districts.len()];
        let families: Vec<Families> = tally
            .iter()
            .map(|c| {
                let c = if c[0] >= 10.0 { *c } else { city_wide };
                Families {
                    hukou: ratio(c[1], c[0], 0.8),
                    home_if_local: ratio(c[2], c[1], 0.8),
                    home_if_migrant: ratio(c[4], c[3], 0.15),
                    permit_if_migrant: ratio(c[5], c[3], 0.85),
                }
            })
            .collect();
        // Participation: base entrants per child of the entry age.
        let mut participation = [1.0; 4];
        for stage in STAGES {
            let entrants = city.pupils().iter().filter(|p| p.stage == stage).count() as f64;
            let children: f64 = blocks.iter().map(|b| b.children[entry_age(stage)]).sum();
            if children > 0.0 && entrants > 0.0 {
                participation[stage.index()] = entrants / children;
            }
        }
        let mut private_share = [0.0; 4];
        for stage in STAGES {
            let of_stage: Vec<_> = city.pupils().iter().filter(|p| p.stage == stage).collect();
            let applying = of_stage
                .iter()
                .filter(|p| {
                    p.preferences
                        .iter()
                        .any(|&s| city.schools()[s as usize].sector == Sector::Private)
                })
                .count();
            if !of_stage.is_empty() {
                private_share[stage.index()] = applying as f64 / of_stage.len() as f64;
            }
        }
        Ok(Self {
            schools,
            zones: city.zones().to_vec(),
            private_share,
            growth: vec![0.0; districts.len()],
            districts,
            blocks,
            roads: city.roads().cloned(),
            families,
            participation,
            policy: Policy::default(),
        })
    }

    /// The index of a school by id.
    #[must_use]
    pub fn school(&self, id: &str) -> Option<usize> {
        self.schools.iter().position(|s| s.school.id == id)
    }

    /// The index of a district by name, added when new.
    pub fn district(&mut self, name: &str) -> u32 {
        if let Some(i) = self.districts.iter().position(|d| d == name) {
            return i as u32;
        }
        self.districts.push(name.to_owned());
        self.growth.push(0.0);
        let city_wide = *self.families.last().unwrap_or(&Families {
            hukou: 0.8,
            home_if_local: 0.8,
            home_if_migrant: 0.15,
            permit_if_migrant: 0.85,
        });
        let n = self.families.len();
        self.families.insert(n.saturating_sub(1), city_wide);
        (self.districts.len() - 1) as u32
    }

    /// Families of a district (city-wide shares when unknown).
    #[must_use]
    pub fn families_of(&self, district: &str) -> Families {
        let city_wide = self.families[self.families.len() - 1];
        self.districts
            .iter()
            .position(|d| d == district)
            .map_or(city_wide, |i| self.families[i])
    }

    /// Pupils on roll in a stage (open and closed schools).
    #[must_use]
    pub fn roll(&self, stage: Stage) -> u64 {
        self.schools
            .iter()
            .filter(|s| s.school.stage == stage)
            .flat_map(|s| &s.grades)
            .map(|g| u64::from(g.pupils))
            .sum()
    }

    /// Whether a school is public and open.
    #[must_use]
    pub fn is_open_public(&self, i: usize) -> bool {
        self.schools[i].open && self.schools[i].school.sector == Sector::Public
    }
}

/// Reads `blocks.csv`: `id,lon,lat,district,households,age_0..age_17`, with the conventions
/// of every city CSV file ([`xuewei_core::city::records`]: byte-order mark, free column
/// order, unknown columns ignored, lines as an editor counts them).
///
/// # Errors
/// Every problem at once, naming the line and field: missing columns, an empty or repeated
/// id, a location out of range (or lon and lat swapped), households or children that are
/// not finite, non-negative numbers.
pub fn read_blocks(text: &str) -> Result<Vec<Block>, ScenarioError> {
    const FILE: &str = "blocks.csv";
    let mut required = vec!["id", "lon", "lat", "district", "households"];
    required.extend(AGE_COLUMNS);
    let mut errors = Vec::new();
    let Some(table) = CsvTable::read((FILE, text), &required, &mut errors) else {
        return Err(ScenarioError::City(CityErrors(errors).to_string()));
    };
    let mut ids = Ids::with_capacity(table.rows().len());
    let mut out = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let mut f = Fields::new(FILE, row.place(), &mut errors);
        let id = f
            .required("id", table.get(row, "id"))
            .unwrap_or("")
            .to_owned();
        let (lon, lat) = f.lon_lat(table.get(row, "lon"), table.get(row, "lat"));
        let households = f.amount("households", table.get(row, "households"));
        let mut children = [0.0; 18];
        for (c, age) in children.iter_mut().zip(AGE_COLUMNS) {
            *c = f.amount(age, table.get(row, age));
        }
        ids.note(&id, FILE, row.place(), &mut errors);
        out.push(Block {
            id,
            location: Point::new(lon, lat),
            district: table.get(row, "district").to_owned(),
            households,
            children,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::City(CityErrors(errors).to_string()))
    }
}

/// The age columns of `blocks.csv`.
const AGE_COLUMNS: [&str; 18] = [
    "age_0", "age_1", "age_2", "age_3", "age_4", "age_5", "age_6", "age_7", "age_8", "age_9",
    "age_10", "age_11", "age_12", "age_13", "age_14", "age_15", "age_16", "age_17",
];

#[cfg(test)]
mod tests {
    use super::*;

    const AGES: &str = "age_0,age_1,age_2,age_3,age_4,age_5,age_6,age_7,age_8,age_9,\
                        age_10,age_11,age_12,age_13,age_14,age_15,age_16,age_17";

    fn row(id: &str, lon: &str, lat: &str, households: &str, age_6: &str) -> String {
        let mut ages = vec!["0"; 18];
        ages[6] = age_6;
        format!("{id},{lon},{lat},D1,{households},{}", ages.join(","))
    }

    fn blocks(rows: &[String]) -> String {
        format!(
            "id,lon,lat,district,households,{AGES}\n{}\n",
            rows.join("\n")
        )
    }

    fn problems(text: &str) -> String {
        match read_blocks(text) {
            Ok(b) => panic!("{} blocks read; expected problems", b.len()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn blocks_read_with_bom_extra_columns_and_any_order() {
        let plain = blocks(&[
            row("B1", "113.6", "34.7", "10", "2.5"),
            row("B2", "113.7", "34.8", "3", "0"),
        ]);
        let a = read_blocks(&plain).expect("valid");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].children[6], 2.5);
        // Columns reversed, one unknown column, upper-case names, a BOM, a blank line.
        let mut lines: Vec<Vec<String>> = plain
            .lines()
            .map(|l| l.split(',').rev().map(str::to_owned).collect())
            .collect();
        lines[0] = lines[0].iter().map(|c| c.to_uppercase()).collect();
        for (i, l) in lines.iter_mut().enumerate() {
            l.push(if i == 0 {
                "备注".into()
            } else {
                format!("note {i}")
            });
        }
        let text: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
        let messy = format!("\u{feff}{}\n\n{}\n{}\n", text[0], text[1], text[2]);
        assert_eq!(read_blocks(&messy).expect("valid"), a);
    }

    #[test]
    fn missing_columns_are_all_named() {
        let text = "id,lon,district,households,age_0\nB1,113.6,D1,3,0\n";
        let e = problems(text);
        assert!(e.starts_with("18 problems in the city files"), "{e}");
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"lat\""),
            "{e}"
        );
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"age_1\""),
            "{e}"
        );
        assert!(
            e.contains("\n  blocks.csv line 1: missing column \"age_17\""),
            "{e}"
        );
        assert!(!e.contains("\"age_0\""), "{e}");
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let mut rows = vec![
            row("B1", "34.7", "113.6", "10", "1"),
            row("B2", "213.6", "34.7", "-3", "NaN"),
            String::new(),
            row("B1", "113.6", "34.7", "1", "1"),
            row("", "113.6", "34.7", "1", "x"),
        ];
        // A short row: age_17 missing.
        rows.push(format!("B9,113.6,34.7,D1,1{}", ",0".repeat(17)));
        assert_eq!(
            problems(&blocks(&rows)),
            "8 problems in the city files\n  \
             blocks.csv line 2: lat 113.6 out of range [-90, 90] (lon 34.7 and lat 113.6 swapped?)\n  \
             blocks.csv line 3: lon 213.6 out of range [-180, 180]\n  \
             blocks.csv line 3: households -3 is not a finite, non-negative number\n  \
             blocks.csv line 3: age_6 NaN is not a finite, non-negative number\n  \
             blocks.csv line 5: id \"B1\" already used at line 2\n  \
             blocks.csv line 6: id \"\" is empty\n  \
             blocks.csv line 6: age_6 \"x\" is not a finite, non-negative number\n  \
             blocks.csv line 7: age_17 \"\" is not a finite, non-negative number"
        );
    }

    #[test]
    fn empty_blocks_file() {
        assert_eq!(
            problems(""),
            "1 problem in the city files\n  blocks.csv line 1: the file is empty: expected a \
             header line naming the columns (id, lon, lat, district, households, age_0, age_1, \
             age_2, age_3, age_4, age_5, age_6, age_7, age_8, age_9, age_10, age_11, age_12, \
             age_13, age_14, age_15, age_16, age_17)"
        );
        assert_eq!(read_blocks(&blocks(&[])).map(|b| b.len()), Ok(0));
    }

    /// `load` reads UTF-8 only and says what to do with a GBK file; `load_with` takes the
    /// caller's decoder (the command line's reads GBK, with a warning).
    #[test]
    fn non_utf8_city_files() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/city-small");
        let dir = std::env::temp_dir().join(format!("xuewei-state-gbk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for f in ["zones.geojson", "pupils.csv", "roll.csv", "blocks.csv"] {
            std::fs::copy(src.join(f), dir.join(f)).expect("copy");
        }
        let schools = std::fs::read_to_string(src.join("schools.csv"))
            .expect("schools")
            .replace("Zone A Primary", "第一小学");
        // "第一小学" in GBK.
        let gbk: Vec<u8> = schools
            .replace("第一小学", "\u{0}")
            .bytes()
            .flat_map(|b| {
                if b == 0 {
                    vec![0xb5, 0xda, 0xd2, 0xbb, 0xd0, 0xa1, 0xd1, 0xa7]
                } else {
                    vec![b]
                }
            })
            .collect();
        std::fs::write(dir.join("schools.csv"), &gbk).expect("write");
        let e = CityState::load(&dir).expect_err("not UTF-8");
        let text = e.to_string();
        assert!(
            text.ends_with("schools.csv: not UTF-8 text (save it as UTF-8, e.g. `iconv -f GBK -t UTF-8` for a GBK export; the xuewei command reads GBK itself)"),
            "{text}"
        );
        let state = CityState::load_with(&dir, |path| {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            Ok(if path.ends_with("schools.csv") {
                assert_eq!(bytes, gbk);
                schools.clone()
            } else {
                String::from_utf8(bytes).map_err(|e| e.to_string())?
            })
        })
        .expect("decoded");
        assert_eq!(state.schools[0].school.name, "第一小学");
        std::fs::remove_dir_all(&dir).ok();
    }
}
