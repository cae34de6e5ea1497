//! `xuewei validate`: every problem of an input set at once, errors and warnings.

use std::path::PathBuf;

use xuewei_core::catchment::ZoneIndex;
use xuewei_core::city::City;
use xuewei_core::distance::great_circle_m;
use xuewei_core::{Problem, Problems, Sector, Stage};
use xuewei_io::city::roll;
use xuewei_io::interchange::MatchInput;
use xuewei_scenario::run::apply_edits;
use xuewei_scenario::ScenarioError;

use crate::assign::load_city;
use crate::{input_error, reader};

/// A home farther than this from every school of its stage is worth a warning.
const FAR_M: f64 = 30_000.0;

#[derive(clap::Args, Debug)]
pub(crate) struct ValidateArgs {
    /// A match instance (JSON interchange format).
    #[arg(long)]
    input: Option<PathBuf>,
    /// A city directory (zones.geojson, schools.csv, pupils.csv, roads.geojson if present).
    #[arg(long)]
    city: Option<PathBuf>,
    /// Catchment zones (with --schools and --pupils).
    #[arg(long, requires_all = ["schools", "pupils"])]
    zones: Option<PathBuf>,
    /// Schools.
    #[arg(long)]
    schools: Option<PathBuf>,
    /// Pupils.
    #[arg(long)]
    pupils: Option<PathBuf>,
    /// Roads.
    #[arg(long)]
    roads: Option<PathBuf>,
    /// A whole-school roll (stages from the city's schools when given).
    #[arg(long)]
    roll: Option<PathBuf>,
    /// A scenario file: its base city is loaded and every edit is applied once.
    #[arg(long)]
    scenario: Option<PathBuf>,
}

#[derive(Default)]
struct Findings {
    errors: Vec<String>,
    warnings: Vec<String>,
    checked: Vec<String>,
}

impl Findings {
    /// Records the problems of a list one error each, as many as its message shows (the
    /// first [`Problem::SHOWN`]), then how many more there are.
    fn problems<E: Problem>(&mut self, problems: &Problems<E>) {
        let shown = problems.errors().iter().take(E::SHOWN);
        self.errors.extend(shown.map(ToString::to_string));
        if problems.len() > E::SHOWN {
            self.errors
                .push(format!("... and {} more", problems.len() - E::SHOWN));
        }
    }

    /// Records why a set of files did not load: each problem of the files (or of the city
    /// they make) as one error, else the one problem that stopped loading.
    fn load_error(&mut self, e: &xuewei_io::Error) {
        match e {
            xuewei_io::Error::Files(problems) => self.problems(problems),
            xuewei_io::Error::Scenario(ScenarioError::Zones { source }) => self.problems(source),
            xuewei_io::Error::Scenario(ScenarioError::City { source, .. }) => {
                self.problems(source);
            }
            other => self.errors.push(other.to_string()),
        }
    }
}

pub(crate) fn run(args: &ValidateArgs) -> anyhow::Result<()> {
    let mut found = Findings::default();
    if let Some(path) = &args.input {
        check_match(path, &mut found);
    }
    let city_files = match (&args.city, &args.zones) {
        (_, Some(z)) => Some((
            z.clone(),
            args.schools.clone().unwrap_or_default(),
            args.pupils.clone().unwrap_or_default(),
            args.roads.clone(),
        )),
        (Some(dir), None) => Some((
            dir.join("zones.geojson"),
            dir.join("schools.csv"),
            dir.join("pupils.csv"),
            args.roads
                .clone()
                .or_else(|| Some(dir.join("roads.geojson")).filter(|p| p.exists())),
        )),
        (None, None) => None,
    };
    let mut city = None;
    if let Some((z, s, p, r)) = city_files {
        found.checked.push(format!("city ({})", s.display()));
        match load_city(&z, &s, &p, r.as_deref()) {
            Ok(c) => {
                city_warnings(&c, &mut found);
                city = Some(c);
            }
            Err(e) => found.load_error(&e),
        }
    }
    if let Some(path) = &args.roll {
        found.checked.push(path.display().to_string());
        let known = city.as_ref().map(roll::known_schools).unwrap_or_default();
        if let Err(e) = roll::load(path, &known, &reader()) {
            found.load_error(&e);
        }
    }
    if let Some(path) = &args.scenario {
        found.checked.push(path.display().to_string());
        check_scenario(path, &mut found);
    }
    if found.checked.is_empty() {
        return Err(input_error(
            "nothing to validate: give --input, --city (or --zones --schools --pupils), --roll or --scenario",
        ));
    }
    for e in &found.errors {
        println!("error: {e}");
    }
    for w in &found.warnings {
        println!("warning: {w}");
    }
    println!(
        "{}: {} error(s), {} warning(s) in {}",
        if found.errors.is_empty() {
            "ok"
        } else {
            "failed"
        },
        found.errors.len(),
        found.warnings.len(),
        found.checked.join(", ")
    );
    if found.errors.is_empty() {
        Ok(())
    } else {
        Err(input_error(format!("{} error(s)", found.errors.len())))
    }
}

fn check_match(path: &std::path::Path, found: &mut Findings) {
    found.checked.push(path.display().to_string());
    let text = match reader().read(path) {
        Ok(t) => t,
        Err(e) => return found.errors.push(e.to_string()),
    };
    let input = match MatchInput::from_json(&path.display().to_string(), &text) {
        Ok(i) => i,
        Err(e) => return found.errors.push(e.to_string()),
    };
    match input.to_instance() {
        Ok(instance) => {
            for s in instance.schools().filter(|&s| instance.capacity(s) == 0) {
                found.warnings.push(format!(
                    "{}: school \"{}\" has no seats",
                    path.display(),
                    instance.school_name(s)
                ));
            }
            if instance.n_students() == 0 {
                found.warnings.push(format!(
                    "{}: no pupils (the result will be empty)",
                    path.display()
                ));
            } else if instance.n_schools() == 0 {
                found.warnings.push(format!(
                    "{}: no schools (every pupil will be unplaced)",
                    path.display()
                ));
            }
            let empty = instance
                .students()
                .filter(|&st| instance.preferences(st).is_empty())
                .count();
            if empty > 0 {
                found.warnings.push(format!(
                    "{}: {empty} pupil(s) list no school (they will be unplaced)",
                    path.display()
                ));
            }
        }
        Err(e) => {
            for problem in e.errors() {
                found.errors.push(format!("{}: {problem}", path.display()));
            }
        }
    }
}

/// Warnings about a valid city: homes outside or between zones, homes far from every school
/// of their stage, public schools without seats, zones without schools.
fn city_warnings(city: &City, found: &mut Findings) {
    if city.pupils().is_empty() {
        found
            .warnings
            .push("pupils: no pupils (every output will be empty)".to_owned());
    }
    for s in city.schools() {
        let detail = match (s.entry_classes, s.seats) {
            (_, Some(0)) => "seats 0",
            (0, None) => "entry_classes 0",
            _ => continue,
        };
        let who = match s.sector {
            Sector::Public => "pupils of its zone go to the other zone schools or overflow",
            Sector::Private => "pupils who list it are placed by their zone",
        };
        found.warnings.push(format!(
            "schools: school \"{}\" has no seats ({detail}): {who}",
            s.id
        ));
    }
    for z in city.zones() {
        if z.schools.is_empty() {
            found.warnings.push(format!(
                "zones: zone \"{}\" lists no school (its pupils go to overflow)",
                z.id
            ));
        }
    }
    for stage in Stage::ALL {
        let zones: Vec<usize> = (0..city.zones().len())
            .filter(|&z| city.zones()[z].stage == stage)
            .collect();
        let schools: Vec<_> = city.schools().iter().filter(|s| s.stage == stage).collect();
        let pupils: Vec<_> = city.pupils().iter().filter(|p| p.stage == stage).collect();
        if pupils.is_empty() {
            continue;
        }
        if let Ok(index) = ZoneIndex::new(
            zones
                .iter()
                .map(|&z| city.zones()[z].geometry.clone())
                .collect(),
        ) {
            let homes: Vec<_> = pupils.iter().map(|p| p.home).collect();
            let located = index.locate_all(&homes);
            let outside: Vec<&str> = pupils
                .iter()
                .zip(&located)
                .filter(|(_, l)| l.zone.is_none())
                .map(|(p, _)| p.id.as_str())
                .collect();
            if !outside.is_empty() {
                found.warnings.push(format!(
                    "pupils: {} {stage} home(s) outside every {stage} zone (placed by overflow), first \"{}\"",
                    outside.len(),
                    outside[0]
                ));
            }
            for (a, b) in index.overlapping_pairs() {
                found.warnings.push(format!(
                    "zones: zones \"{}\" and \"{}\" overlap (homes in both go to the first)",
                    city.zones()[zones[a as usize]].id,
                    city.zones()[zones[b as usize]].id
                ));
            }
        }
        if schools.is_empty() {
            found.warnings.push(format!(
                "schools: no {stage} school for {} {stage} pupil(s)",
                pupils.len()
            ));
            continue;
        }
        let far: Vec<&str> = pupils
            .iter()
            .filter(|p| {
                schools
                    .iter()
                    .all(|s| great_circle_m(p.home, s.location) > FAR_M)
            })
            .map(|p| p.id.as_str())
            .collect();
        if !far.is_empty() {
            found.warnings.push(format!(
                "pupils: {} home(s) more than {} km from every {stage} school, first \"{}\"",
                far.len(),
                FAR_M / 1000.0,
                far[0]
            ));
        }
    }
}

fn check_scenario(path: &std::path::Path, found: &mut Findings) {
    let scenario = match xuewei_io::scenario::load(path, &reader()) {
        Ok(s) => s,
        Err(e) => return found.errors.push(e.to_string()),
    };
    let mut state = match xuewei_io::city::load_state(&scenario.city, &reader()) {
        Ok(s) => s,
        Err(e) => return found.load_error(&e),
    };
    for year in scenario.years() {
        if let Err(e) = apply_edits(&scenario, &mut state, year) {
            found.errors.push(format!("{}: {e}", path.display()));
            return;
        }
    }
}
