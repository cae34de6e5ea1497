//! One scenario of a report: its runs, verdicts, the first run's final city and map, and the
//! figures the headline, charts and tables read from them.

use xuewei_core::{Sector, Stage};
use xuewei_scenario::output::Spread;
use xuewei_scenario::run::YearResult;
use xuewei_scenario::targets::Verdict;
use xuewei_scenario::{CityState, FinalCity, Run, Scenario};

use crate::chart::pct;
use crate::figures::EquityRow;
use crate::map::MapData;

use super::map::map_data;

/// One scenario with its runs, the first run's final city, and the map.
pub(super) struct Side<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) runs: &'a [Run],
    pub(super) verdicts: &'a [Verdict],
    /// The city the first run left (every edit applied); `None` for runs built without one.
    pub(super) city: Option<&'a FinalCity>,
    pub(super) map: MapData,
}

impl<'a> Side<'a> {
    pub(super) fn new(
        scenario: &'a Scenario,
        base: &CityState,
        runs: &'a [Run],
        verdicts: &'a [Verdict],
    ) -> Self {
        let first = runs.first();
        let city = first.and_then(|r| r.final_city.as_ref());
        let map = match (city, first.and_then(|r| r.years.last())) {
            (Some(city), Some(last)) => map_data(city, base, last),
            _ => MapData::default(),
        };
        Self {
            scenario,
            runs,
            verdicts,
            city,
            map,
        }
    }

    pub(super) fn years(&self) -> Vec<i32> {
        self.runs
            .first()
            .map(|r| r.years.iter().map(|y| y.year).collect())
            .unwrap_or_default()
    }

    pub(super) fn last(&self) -> usize {
        self.years().len().saturating_sub(1)
    }

    /// A value per run of year `k`.
    pub(super) fn band(&self, k: usize, read: impl Fn(&YearResult) -> f64) -> Spread {
        let values: Vec<f64> = self
            .runs
            .iter()
            .filter_map(|r| r.years.get(k))
            .map(read)
            .collect();
        Spread::of(&values)
    }

    pub(super) fn metric(&self, k: usize, name: &str) -> Spread {
        self.band(k, |y| y.metric(name).unwrap_or(0.0))
    }

    pub(super) fn unplaced(&self, k: usize, stage: Option<Stage>) -> Spread {
        self.band(k, |y| {
            y.stages
                .iter()
                .filter(|s| stage.is_none_or(|st| s.stage == st))
                .map(|s| s.unplaced as f64)
                .sum()
        })
    }

    /// Distances of placed entrants of a stage in year `k`, pooled over runs.
    pub(super) fn distances(&self, k: usize, stage: Stage) -> Vec<f64> {
        self.runs
            .iter()
            .filter_map(|r| r.years.get(k))
            .flat_map(|y| &y.entrants)
            .filter(|e| e.stage == stage)
            .filter_map(|e| e.distance_m)
            .collect()
    }

    /// Public seats' utilisation of the entering grade in year `k` (first run).
    pub(super) fn utilisation(&self, k: usize, stage: Option<Stage>) -> (u64, u64) {
        let Some(y) = self.runs.first().and_then(|r| r.years.get(k)) else {
            return (0, 0);
        };
        let mut acc = (0u64, 0u64);
        for (i, s) in y.schools.iter().enumerate() {
            let Some(st) = self.city.and_then(|c| c.schools.get(i)) else {
                continue;
            };
            if st.school.sector == Sector::Public
                && s.open
                && stage.is_none_or(|x| st.school.stage == x)
            {
                acc.0 += u64::from(s.placed);
                acc.1 += u64::from(s.seats);
            }
        }
        acc
    }

    /// The latest-due target of a metric judged in year `year`.
    pub(super) fn target(&self, metric: &str, year: i32) -> Option<&Verdict> {
        self.verdicts
            .iter()
            .filter(|v| v.metric == metric && v.year == year)
            .max_by_key(|v| v.due)
    }

    /// Equity of primary + junior entrants in year `k`, weighted by pupils, mean over runs.
    pub(super) fn equity(&self, k: usize) -> Vec<EquityRow> {
        let groups = ["local", "migrant", "core", "edge"];
        groups
            .iter()
            .map(|g| {
                let (mut n, mut own, mut large, mut unplaced, mut placed) =
                    (0.0, 0.0, 0.0, 0.0, 0.0);
                for y in self.runs.iter().filter_map(|r| r.years.get(k)) {
                    for e in y.equity.iter().filter(|e| {
                        e.group == *g && matches!(e.stage, Stage::Primary | Stage::Junior)
                    }) {
                        let p = e.pupils as f64;
                        let placed_here = p - e.unplaced as f64;
                        n += p;
                        own += e.own_zone_share * p;
                        large += e.large_class_share * placed_here;
                        unplaced += e.unplaced as f64;
                        placed += placed_here;
                    }
                }
                let r = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
                ((*g).to_owned(), r(own, n), r(large, placed), r(unplaced, n))
            })
            .collect()
    }

    pub(super) fn headline_value(&self, k: usize, metric: &str) -> (Spread, String) {
        let b = self.metric(k, metric);
        let text = if self.runs.len() > 1 && (b.p95 - b.p5).abs() > 1e-12 {
            format!("5–95%: {}–{}", pct(b.p5), pct(b.p95))
        } else {
            String::new()
        };
        (b, text)
    }
}
