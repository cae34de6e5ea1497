//! The repository's fixtures, found from this crate's own directory (so the same paths serve
//! every crate's tests, the benches and the fuzz targets), their loaders through
//! `xuewei-io`, and fresh temporary directories.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use xuewei_core::city::City;
use xuewei_io::city::{load_state, parse, CityFiles};
use xuewei_io::Reader;
use xuewei_scenario::CityState;

/// The root of the workspace (where `fixtures/`, `seeds/` and `README.md` are, and where
/// the CLI's tests run the binary).
#[must_use]
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `fixtures/city-small`: the hand-checked small city (zones, schools, pupils, roll, blocks,
/// and the expected outputs under `expected/`).
#[must_use]
pub fn small_city_dir() -> PathBuf {
    root().join("fixtures/city-small")
}

/// The text of `fixtures/city-small/<name>`.
///
/// # Panics
/// If the file cannot be read, naming it.
#[must_use]
pub fn small_city_file(name: &str) -> String {
    let path = small_city_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `fixtures/zhengzhou-s001`: the synthetic city at scale 0.01, seed 1, with its scenarios.
#[must_use]
pub fn synthetic_city_dir() -> PathBuf {
    root().join("fixtures/zhengzhou-s001")
}

/// The small city (`fixtures/city-small`: zones, schools and pupils, no roads), parsed by
/// `xuewei_io::city::parse`.
///
/// # Panics
/// If a file cannot be read or the city does not load.
#[must_use]
pub fn small_city() -> City {
    let (z, s, p) = (
        small_city_file("zones.geojson"),
        small_city_file("schools.csv"),
        small_city_file("pupils.csv"),
    );
    parse(&CityFiles {
        zones: ("zones.geojson", &z),
        schools: ("schools.csv", &s),
        pupils: ("pupils.csv", &p),
        roads: None,
    })
    .expect("the fixture city is valid")
}

/// The small city as a scenario's base (`fixtures/city-small` with its roll and blocks),
/// loaded by `xuewei_io::city::load_state`.
///
/// # Panics
/// If it does not load.
#[must_use]
pub fn small_city_state() -> CityState {
    load_state(&small_city_dir(), &Reader::default()).expect("the small city loads")
}

/// A fresh, empty temporary directory for one test: unique to the process, the call and
/// `name` (`xuewei-test-<pid>-<n>-<name>` under the system's temporary directory). It is
/// removed when the returned guard is dropped, unless the thread is panicking (so a failed
/// test leaves its files to look at).
///
/// # Panics
/// If the directory cannot be created.
#[must_use]
pub fn temp_dir(name: &str) -> TempDir {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("xuewei-test-{}-{n}-{name}", std::process::id()));
    std::fs::remove_dir_all(&path).ok();
    std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("temp dir {}: {e}", path.display()));
    TempDir { path }
}

/// A temporary directory made by [`temp_dir`], removed on drop (unless panicking). Derefs
/// to its [`Path`].
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// The directory.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            std::fs::remove_dir_all(&self.path).ok();
        }
    }
}
