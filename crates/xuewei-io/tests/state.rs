//! A scenario's base city read from a directory (`city::load_state`): every file through the
//! one decoder, problems naming their file.

use std::cell::RefCell;

use xuewei_io::city::load_state;
use xuewei_io::text::{Reader, Warning};
use xuewei_testkit::fixtures::{small_city_dir, temp_dir, TempDir};

/// A copy of fixtures/city-small in a fresh directory, `schools.csv` replaced by `schools`.
fn city_with_schools(name: &str, schools: &[u8]) -> TempDir {
    let dir = temp_dir(name);
    for f in ["zones.geojson", "pupils.csv", "roll.csv", "blocks.csv"] {
        std::fs::copy(small_city_dir().join(f), dir.join(f)).expect("copy");
    }
    std::fs::write(dir.join("schools.csv"), schools).expect("write");
    dir
}

/// A GBK `schools.csv` (a Chinese Excel export) is read as GBK, Chinese names intact, and
/// the reader is told; UTF-16 is refused by name.
#[test]
fn gbk_city_files_are_read_with_a_warning() {
    let schools = std::fs::read_to_string(small_city_dir().join("schools.csv"))
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
    let dir = city_with_schools("gbk", &gbk);
    let warnings = RefCell::new(Vec::new());
    let note = |w: &Warning| warnings.borrow_mut().push(w.to_string());
    let state = load_state(&dir, &Reader::new(&note)).expect("decoded");
    assert_eq!(state.schools[0].school.name, "第一小学");
    let path = dir.join("schools.csv");
    assert_eq!(
        *warnings.borrow(),
        [format!(
            "{}: not UTF-8; read as GBK (GB 18030)",
            path.display()
        )]
    );
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(schools.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&path, utf16).expect("write");
    let e = load_state(&dir, &Reader::default()).expect_err("UTF-16");
    assert_eq!(
        e.to_string(),
        format!(
            "{}: UTF-16 text (Excel \"Unicode text\"?); save it as CSV in UTF-8 or GBK",
            path.display()
        )
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The fixture city loads; a missing file is named by its path; problems of `blocks.csv`
/// and `roll.csv` are listed like those of the city files.
#[test]
fn missing_files_and_bad_rolls_are_named() {
    let state = load_state(&small_city_dir(), &Reader::default()).expect("the small city loads");
    assert_eq!(state.schools.len(), 7);
    let missing = small_city_dir().join("nowhere");
    let e = load_state(&missing, &Reader::default()).expect_err("no such directory");
    assert!(
        e.to_string()
            .starts_with(&format!("{}: ", missing.join("zones.geojson").display())),
        "{e}"
    );
    let schools = std::fs::read(small_city_dir().join("schools.csv")).expect("schools");
    let dir = city_with_schools("roll", &schools);
    std::fs::write(
        dir.join("roll.csv"),
        "school_id,grade,pupils,classrooms\nPA,9,10,1\n",
    )
    .expect("write");
    let e = load_state(&dir, &Reader::default()).expect_err("grade 9 of a primary school");
    assert_eq!(
        e.to_string(),
        "1 problem in the city files\n  roll.csv line 2: grade \"9\" is outside 1..=6 for a \
         primary school"
    );
    std::fs::remove_dir_all(&dir).ok();
}
