//! Messy input, through the public API: each case is rejected with a message naming the file,
//! the line (header = line 1) or feature (and its id) and the field, or repaired as
//! `docs/formats.md` ("Messy input") documents. Nothing here may panic.

use std::collections::HashMap;

use xuewei_core::city::{assign, AssignParams, City, CityAssignment, How, UnplacedReason};
use xuewei_core::{
    solve, ChoiceBand, InstanceBuilder, Mechanism, SeatRule, SolveParams, Stage, TieBreak,
};
use xuewei_io::city::{parse, roll, write, CityFiles};
use xuewei_io::interchange::{MatchInput, MatchOutput};
use xuewei_io::LoadErrors;

const SCHOOLS: &str = "\
id,name,stage,sector,lon,lat,entry_classes,district,seats
PA,Zone A Primary,primary,public,113.605,34.745,1,D1,2
PB,Zone B Primary,primary,public,113.615,34.745,1,D1,2
PP,Private Primary,primary,private,113.612,34.748,1,D1,1
";

const PUPILS: &str = "\
id,stage,lon,lat,hukou_local,owns_home,residence_permit,sibling_school,score,origin_school,preferences
a1,primary,113.604,34.744,1,1,0,,,,
a2,primary,113.606,34.746,1,0,0,,,,
b1,primary,113.616,34.744,1,1,0,,,,
p1,primary,113.614,34.746,1,1,0,,88.5,,PP
";

const ROADS: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"id": "R1"},
   "geometry": {"type": "LineString", "coordinates": [[113.60, 34.745], [113.62, 34.745]]}}
]}"#;

/// A GeoJSON Polygon of the box `[x0, x1] × [y0, y1]`.
fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    format!(
        r#"{{"type": "Polygon", "coordinates": [[[{x0}, {y0}], [{x1}, {y0}], [{x1}, {y1}], [{x0}, {y1}], [{x0}, {y0}]]]}}"#
    )
}

/// A zones FeatureCollection of primary zones `(id, schools, geometry)`.
fn zones(features: &[(&str, &str, String)]) -> String {
    let features: Vec<String> = features
        .iter()
        .map(|(id, schools, geometry)| {
            format!(
                r#"{{"type": "Feature", "properties": {{"id": "{id}", "stage": "primary", "schools": {schools}}}, "geometry": {geometry}}}"#
            )
        })
        .collect();
    format!(
        "{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n]}}",
        features.join(",\n")
    )
}

fn base_zones() -> String {
    zones(&[
        ("ZA", r#"["PA"]"#, square(113.60, 34.74, 113.61, 34.75)),
        ("ZB", r#"["PB"]"#, square(113.61, 34.74, 113.62, 34.75)),
    ])
}

/// The texts of one city's files.
#[derive(Clone)]
struct Files {
    zones: String,
    schools: String,
    pupils: String,
    roads: Option<String>,
}

impl Default for Files {
    fn default() -> Self {
        Self {
            zones: base_zones(),
            schools: SCHOOLS.to_owned(),
            pupils: PUPILS.to_owned(),
            roads: None,
        }
    }
}

impl Files {
    fn load(&self) -> Result<City, LoadErrors> {
        parse(&CityFiles {
            zones: ("zones.geojson", &self.zones),
            schools: ("schools.csv", &self.schools),
            pupils: ("pupils.csv", &self.pupils),
            roads: self.roads.as_deref().map(|r| ("roads.geojson", r)),
        })
    }

    fn city(&self) -> City {
        self.load()
            .unwrap_or_else(|e| panic!("the city should load: {e}"))
    }

    /// Asserts that loading fails with exactly these messages, in this order.
    fn check_problems(&self, expected: &[&str]) {
        let got: Vec<String> = match self.load() {
            Ok(_) => panic!("the city should not load; expected {expected:#?}"),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(got, expected);
    }
}

fn run(city: &City, params: &AssignParams) -> CityAssignment {
    assign(city, params).expect("every pupil accounted for")
}

use xuewei_testkit::oracle::placement_summary as placements;

const BASE_PLACEMENTS: &str = "a1:PA:zone a2:PA:zone b1:PB:zone p1:PP:private";

#[test]
fn the_base_city_is_valid() {
    let city = Files::default().city();
    assert_eq!(
        placements(&city, &run(&city, &AssignParams::default())),
        BASE_PLACEMENTS
    );
}

// ---- Encodings -------------------------------------------------------------------------

/// A UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped from every file: the city is
/// the same as without it.
#[test]
fn byte_order_mark_is_accepted_in_every_file() {
    let plain = Files {
        roads: Some(ROADS.to_owned()),
        ..Files::default()
    };
    let bom = |t: &str| format!("\u{feff}{t}");
    let marked = Files {
        zones: bom(&plain.zones),
        schools: bom(&plain.schools),
        pupils: bom(&plain.pupils),
        roads: plain.roads.as_deref().map(bom),
    };
    let (a, b) = (plain.city(), marked.city());
    assert_eq!(a.schools(), b.schools());
    assert_eq!(a.pupils(), b.pupils());
    assert_eq!(a.zones(), b.zones());
    assert!(b.roads().is_some());

    let roll = "school_id,grade,pupils,classrooms,stage\nPA,2,40,1,primary\n";
    let no_schools = HashMap::new();
    assert_eq!(
        roll::parse(("roll.csv", &bom(roll)), &no_schools),
        roll::parse(("roll.csv", roll), &no_schools)
    );
    let json = r#"{"schools": [{"id": "H", "capacity": 1}], "students": [{"id": "a", "preferences": ["H"]}]}"#;
    let instance = MatchInput::from_json("input.json", &bom(json))
        .expect("a BOM before JSON is accepted")
        .to_instance()
        .expect("valid");
    assert_eq!(instance.n_students(), 1);
}

/// The parsers take text; decoding GBK is the job of `xuewei_io::text` (tests/state.rs, and
/// tests/hardening.rs of xuewei-cli). Text decoded from GBK loads like its UTF-8 original,
/// Chinese names intact.
#[test]
fn chinese_text_loads_unchanged() {
    let files = Files {
        schools: SCHOOLS.replace("Zone A Primary", "郑州市金水区第一小学"),
        pupils: PUPILS.replace(
            "a1,primary,113.604,34.744,1,1,0,,,,",
            "a1,primary,113.604,34.744,1,1,0,,,幼儿园,",
        ),
        ..Files::default()
    };
    let city = files.city();
    assert_eq!(city.schools()[0].name, "郑州市金水区第一小学");
    assert_eq!(city.pupils()[0].origin_school.as_deref(), Some("幼儿园"));
}

// ---- Columns ---------------------------------------------------------------------------

/// A required column absent from the header is an error naming the file, line 1 and the
/// column, for every CSV file; nothing else of that file is read.
#[test]
fn missing_columns_name_file_and_column() {
    Files {
        schools: "id,name,stage,lon,district\nPA,A,primary,113.605,D1\n".to_owned(),
        pupils: "id,lon,lat\na1,113.604,34.744\n".to_owned(),
        zones: zones(&[]),
        ..Files::default()
    }
    .check_problems(&[
        "schools.csv line 1: missing column \"lat\"",
        "schools.csv line 1: missing column \"entry_classes\"",
        "pupils.csv line 1: missing column \"stage\"",
    ]);
    let e = roll::parse(
        ("roll.csv", "school_id,grade,pupils\nPA,1,30\n"),
        &HashMap::new(),
    )
    .expect_err("classrooms missing");
    assert_eq!(
        e.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec!["roll.csv line 1: missing column \"classrooms\""]
    );
}

/// An empty file (no header) is an error saying so, not a list of missing columns.
#[test]
fn empty_files_are_named_as_empty() {
    Files {
        pupils: String::new(),
        ..Files::default()
    }
    .check_problems(&[
        "pupils.csv line 1: the file is empty: expected a header line naming the columns (id, stage, lon, lat)",
    ]);
    Files {
        zones: "\u{feff}\n".to_owned(),
        ..Files::default()
    }
    .check_problems(&["zones.geojson: the file is empty: expected a GeoJSON FeatureCollection"]);
}

/// Columns no loader asks for are ignored, wherever they stand, and header names match
/// whatever their case: the city and its assignment are those of the plain files.
#[test]
fn extra_columns_are_ignored() {
    let schools = "\
备注,SEATS,id,name,stage,sector,lon,lat,entry_classes,district,capacity_note
new,2,PA,Zone A Primary,primary,public,113.605,34.745,1,D1,x
,2,PB,Zone B Primary,primary,public,113.615,34.745,1,D1,y
old,1,PP,Private Primary,primary,private,113.612,34.748,1,D1,z
";
    let pupils = PUPILS
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},Notes,household_size")
            } else {
                format!("{l},note {i},{i}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let plain = Files::default().city();
    let extra = Files {
        schools: schools.to_owned(),
        pupils,
        ..Files::default()
    }
    .city();
    assert_eq!(plain.schools(), extra.schools());
    assert_eq!(plain.pupils(), extra.pupils());
    let (a, b) = (
        run(&plain, &AssignParams::default()),
        run(&extra, &AssignParams::default()),
    );
    assert_eq!(a.placements, b.placements);
    let mut out_a = Vec::new();
    let mut out_b = Vec::new();
    write::summary(&a, &mut out_a).expect("written");
    write::summary(&b, &mut out_b).expect("written");
    assert_eq!(out_a, out_b);

    let roll = "school_id,grade,pupils,classrooms,stage\nPA,2,40,1,primary\n";
    let roll_extra =
        "Comment,school_id,grade,pupils,classrooms,stage,teacher\nhi,PA,2,40,1,primary,Li\n";
    assert_eq!(
        roll::parse(("roll.csv", roll), &HashMap::new()),
        roll::parse(("roll.csv", roll_extra), &HashMap::new())
    );
}

/// Extra *fields* on a row, beyond the header's columns, usually mean a comma inside an
/// unquoted field (`PA,PB` for `PA;PB`): an error naming the line, not a silent drop.
/// Empty trailing fields, as spreadsheets pad rows, are fine. A column named twice is an
/// error too (which one would count?).
#[test]
fn fields_beyond_the_header_and_repeated_columns() {
    Files {
        pupils: "id,stage,lon,lat,preferences\n\
                 a1,primary,113.604,34.744,,,\n\
                 p1,primary,113.614,34.746,PP,PA\n"
            .to_owned(),
        ..Files::default()
    }
    .check_problems(&[
        "pupils.csv line 3: 6 fields, but the header has 5 columns: \"PA\" is beyond the last column (a comma inside an unquoted field?)",
    ]);
    Files {
        schools: SCHOOLS.replacen("seats", "lat", 1),
        ..Files::default()
    }
    .check_problems(&["schools.csv line 1: column \"lat\" appears twice (columns 6 and 9)"]);
}

/// Lines are counted as an editor counts them, blank lines and quoted line breaks included.
#[test]
fn lines_are_counted_as_an_editor_counts_them() {
    Files {
        pupils: "id,stage,lon,lat,origin_school\r\n\r\n\
                 a1,primary,113.604,34.744,\"No. 1\r\nKindergarten\"\r\n\r\n\r\n\
                 a2,primary,113.606,,\r\n"
            .to_owned(),
        ..Files::default()
    }
    .check_problems(&["pupils.csv line 7: lat \"\" is not a number"]);
}

// ---- Coordinates -----------------------------------------------------------------------

/// Out-of-range coordinates are errors in every file that carries them; a latitude that
/// would be a fine longitude, next to a longitude that would be a fine latitude, is called
/// out as probably swapped (and still rejected).
#[test]
fn out_of_range_and_swapped_coordinates_in_every_file() {
    Files {
        schools: SCHOOLS
            .replace("113.605,34.745", "34.745,113.605")
            .replace("113.615,34.745", "113.615,-95"),
        pupils: PUPILS
            .replace("113.604,34.744", "213.6,34.744")
            .replace("113.606,34.746", "NaN,34.746")
            .replace("113.616,34.744", "east,34.744"),
        zones: zones(&[
            ("ZA", r#"["PA"]"#, square(34.74, 113.60, 34.75, 113.61)),
            ("ZB", r#"["PB"]"#, square(113.61, 34.74, 193.62, 34.75)),
        ]),
        roads: Some(
            r#"{"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"id": "R1"},
               "geometry": {"type": "LineString", "coordinates": [[113.60, 34.745], [113.62, 95.0]]}},
              {"type": "Feature", "properties": {},
               "geometry": {"type": "MultiLineString", "coordinates": [[[113.60, 34.74], [113.61, 34.74]], [[34.74, 113.6], [34.74, 113.61]]]}}
            ]}"#
            .to_owned(),
        ),
    }
    .check_problems(&[
        "schools.csv line 2: lat 113.605 out of range [-90, 90] (lon 34.745 and lat 113.605 swapped?)",
        "schools.csv line 3: lat -95 out of range [-90, 90]",
        "pupils.csv line 2: lon 213.6 out of range [-180, 180]",
        "pupils.csv line 3: lon NaN out of range [-180, 180]",
        "pupils.csv line 4: lon \"east\" is not a number",
        "zones.geojson feature 0 (id \"ZA\"): geometry: outer ring position 0 (34.74, 113.6): lat out of range [-90, 90] (lon and lat swapped?) (and 4 more bad position(s))",
        "zones.geojson feature 1 (id \"ZB\"): geometry: outer ring position 1 (193.62, 34.74): lon out of range [-180, 180] (and 1 more bad position(s))",
        "roads.geojson feature 0 (id \"R1\"): geometry: line position 1 (113.62, 95): lat out of range [-90, 90]",
        "roads.geojson feature 1: geometry: line 1 position 0 (34.74, 113.6): lat out of range [-90, 90] (lon and lat swapped?) (and 1 more bad position(s))",
    ]);
}

// ---- Zone geometry ---------------------------------------------------------------------

/// Every unusable zone geometry is an error naming the feature, its id and the field:
/// missing, of the wrong type, empty (no rings, no polygons), too few positions, a ring on
/// one line (zero area), a bow-tie that crosses itself, a ring that runs back over itself,
/// and a bad hole or part of a MultiPolygon.
#[test]
fn unusable_zone_geometry_names_feature_id_and_field() {
    let poly = |ring: &str| format!(r#"{{"type": "Polygon", "coordinates": [{ring}]}}"#);
    let outer =
        "[[113.60, 34.74], [113.62, 34.74], [113.62, 34.76], [113.60, 34.76], [113.60, 34.74]]";
    Files {
        zones: zones(&[
            ("Z0", "[]", "null".to_owned()),
            ("Z1", "[]", r#"{"type": "LineString", "coordinates": [[113.6, 34.74], [113.61, 34.75]]}"#.to_owned()),
            ("Z2", "[]", r#"{"type": "Polygon", "coordinates": []}"#.to_owned()),
            ("Z3", "[]", r#"{"type": "MultiPolygon", "coordinates": []}"#.to_owned()),
            ("Z4", "[]", poly("[[113.60, 34.74], [113.61, 34.75], [113.60, 34.74]]")),
            ("Z5", "[]", poly("[[113.60, 34.74], [113.61, 34.74], [113.62, 34.74], [113.60, 34.74]]")),
            ("Z6", "[]", poly("[[113.60, 34.74], [113.62, 34.76], [113.62, 34.74], [113.60, 34.76], [113.60, 34.74]]")),
            ("Z7", "[]", poly("[[113.60, 34.74], [113.64, 34.74], [113.64, 34.76], [113.63, 34.74], [113.61, 34.74], [113.60, 34.76], [113.60, 34.74]]")),
            ("Z8", "[]", poly(&format!("{outer}, [[113.605, 34.745], [113.615, 34.745], [113.615, 34.745], [113.605, 34.745]]"))),
            ("Z9", "[]", format!(r#"{{"type": "MultiPolygon", "coordinates": [[{outer}], [[[113.70, 34.70], [113.72, 34.72], [113.72, 34.70], [113.70, 34.72], [113.70, 34.70]]]]}}"#)),
        ]),
        ..Files::default()
    }
    .check_problems(&[
        "zones.geojson feature 0 (id \"Z0\"): geometry: is missing (a zone needs a Polygon or MultiPolygon)",
        "zones.geojson feature 1 (id \"Z1\"): geometry: LineString is not a Polygon or MultiPolygon",
        "zones.geojson feature 2 (id \"Z2\"): geometry: has no rings (an empty zone)",
        "zones.geojson feature 3 (id \"Z3\"): geometry: MultiPolygon has no polygons (an empty zone)",
        "zones.geojson feature 4 (id \"Z4\"): geometry: outer ring has 3 position(s); a ring needs 4 or more, the last repeating the first",
        "zones.geojson feature 5 (id \"Z5\"): geometry: outer ring encloses no area (all its points lie on one line)",
        "zones.geojson feature 6 (id \"Z6\"): geometry: outer ring crosses itself at (113.61, 34.75)",
        "zones.geojson feature 7 (id \"Z7\"): geometry: outer ring runs over itself between (113.63, 34.74) and (113.61, 34.74)",
        "zones.geojson feature 8 (id \"Z8\"): geometry: hole 1 encloses no area (all its points lie on one line)",
        "zones.geojson feature 9 (id \"Z9\"): geometry: polygon 1 outer ring crosses itself at (113.71, 34.71)",
    ]);
}

/// A feature without an id is named by its index alone, and both problems are reported.
#[test]
fn a_zone_without_id_is_named_by_index() {
    Files {
        zones: r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"stage": "primary", "schools": []},
             "geometry": {"type": "Polygon", "coordinates": [[[113.6, 34.74], [113.6, 34.74], [113.6, 34.74], [113.6, 34.74]]]}}
        ]}"#
        .to_owned(),
        ..Files::default()
    }
    .check_problems(&[
        "zones.geojson feature 0: id \"\" is missing",
        "zones.geojson feature 0: geometry: outer ring encloses no area (all its points lie on one line)",
    ]);
}

/// Repairs: an unclosed ring is closed; a ring that touches itself at a vertex (an ESRI
/// "inverted hole") is accepted, and the loop it closes off is a hole.
#[test]
fn unclosed_and_self_touching_rings_are_accepted() {
    let files = Files {
        zones: zones(&[
            (
                "ZA",
                r#"["PA"]"#,
                r#"{"type": "Polygon", "coordinates": [[[113.60, 34.74], [113.61, 34.74], [113.61, 34.75], [113.60, 34.75]]]}"#.to_owned(),
            ),
            // Outer square with a diamond loop touching the bottom edge at (113.615, 34.74):
            // the diamond is walked the other way, so it is a hole.
            (
                "ZB",
                r#"["PB"]"#,
                r#"{"type": "Polygon", "coordinates": [[[113.61, 34.74], [113.615, 34.74], [113.612, 34.743], [113.615, 34.746], [113.618, 34.743], [113.615, 34.74], [113.62, 34.74], [113.62, 34.75], [113.61, 34.75], [113.61, 34.74]]]}"#.to_owned(),
            ),
        ]),
        pupils: "id,stage,lon,lat\na1,primary,113.604,34.744\nb1,primary,113.616,34.748\nb2,primary,113.615,34.743\n".to_owned(),
        ..Files::default()
    };
    let city = files.city();
    assert_eq!(city.zones()[0].geometry.0[0].exterior().0.len(), 5);
    let result = run(&city, &AssignParams::default());
    assert_eq!(
        placements(&city, &result),
        "a1:PA:zone b1:PB:zone b2:PB:overflow"
    );
    assert_eq!(result.placements[2].zone, None);
    assert_eq!(
        result.placements[2].reason,
        Some(UnplacedReason::OutsideZones)
    );
}

/// Overlapping zones are allowed (a data problem `xuewei validate` warns about): a home in
/// both goes to the zone listed first and is counted in `homes_in_overlapping_zones`.
#[test]
fn overlapping_zones_go_to_the_first_and_are_counted() {
    let files = Files {
        zones: zones(&[
            ("ZA", r#"["PA"]"#, square(113.60, 34.74, 113.615, 34.75)),
            ("ZB", r#"["PB"]"#, square(113.61, 34.74, 113.62, 34.75)),
        ]),
        pupils: "id,stage,lon,lat\na1,primary,113.604,34.744\nx1,primary,113.612,34.744\nx2,primary,113.613,34.746\nb1,primary,113.618,34.744\n".to_owned(),
        ..Files::default()
    };
    let city = files.city();
    let index = xuewei_core::catchment::ZoneIndex::new(
        city.zones().iter().map(|z| z.geometry.clone()).collect(),
    )
    .expect("valid zones");
    assert_eq!(index.overlapping_pairs(), vec![(0, 1)]);
    let result = run(&city, &AssignParams::default());
    assert_eq!(result.placements[1].zone, Some(0));
    assert_eq!(result.placements[2].zone, Some(0));
    let primary = &result.stages[0].1;
    assert_eq!(primary.homes_in_overlapping_zones, 2);
    // PA has 2 seats: a1 and one of x1, x2 by lottery; the other overflows to PB.
    assert_eq!(
        (primary.zone, primary.overflow, primary.unplaced),
        (3, 1, 0)
    );
}

// ---- Ids and lists ---------------------------------------------------------------------

/// An id used twice is an error at the second use, naming the first, in every file.
#[test]
fn duplicate_ids_in_every_file() {
    Files {
        schools: format!("{SCHOOLS}PB,Again,primary,public,113.615,34.745,1,D1,2\n"),
        pupils: format!("{PUPILS}a2,primary,113.606,34.746,1,0,0,,,,\n"),
        zones: zones(&[
            ("ZA", r#"["PA"]"#, square(113.60, 34.74, 113.61, 34.75)),
            ("ZA", r#"["PB"]"#, square(113.61, 34.74, 113.62, 34.75)),
        ]),
        ..Files::default()
    }
    .check_problems(&[
        "schools.csv line 5: id \"PB\" already used at line 3",
        "pupils.csv line 6: id \"a2\" already used at line 3",
        "zones.geojson feature 1: id \"ZA\" already used at feature 0",
    ]);
    let e = roll::parse(
        (
            "roll.csv",
            "school_id,grade,pupils,classrooms,stage\nPA,2,40,1,primary\nPA,3,40,1,primary\nPA,2,41,1,primary\n",
        ),
        &HashMap::new(),
    )
    .expect_err("grade twice");
    assert_eq!(
        e.0.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec!["roll.csv line 4: grade \"2\" is given twice for school \"PA\" (first at line 2)"]
    );
    let e = MatchInput::from_json(
        "input.json",
        r#"{"schools": [{"id": "H", "capacity": 1}, {"id": "H", "capacity": 2}],
            "students": [{"id": "a"}, {"id": 7}, {"id": "7"}]}"#,
    )
    .expect("well-formed")
    .to_instance()
    .expect_err("duplicates");
    assert_eq!(
        e.errors()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "pupil \"7\": field \"id\": duplicate pupil id",
            "school \"H\": field \"id\": duplicate school id",
        ]
    );
}

/// A school listed twice, an unknown school, a school of another stage, an unknown sibling
/// school: each an error naming the line and field (city) or the pupil and position
/// (match instance).
#[test]
fn preference_lists_with_repeats_or_unknown_schools() {
    Files {
        schools: format!("{SCHOOLS}J1,Junior,junior,public,113.607,34.745,1,D1,2\n"),
        pupils: "id,stage,lon,lat,sibling_school,preferences\n\
                 a1,primary,113.604,34.744,,PP;PA;PP\n\
                 a2,primary,113.606,34.746,PX,PQ; ;PA\n\
                 b1,primary,113.616,34.744,,J1\n"
            .to_owned(),
        ..Files::default()
    }
    .check_problems(&[
        "pupils.csv line 2: preferences \"PP\" is listed twice",
        "pupils.csv line 3: sibling_school \"PX\" is not a school in the schools file",
        "pupils.csv line 3: preferences \"PQ\" is not a school in the schools file",
        "pupils.csv line 4: preferences \"J1\" is not a primary school",
    ]);
    let e = MatchInput::from_json(
        "input.json",
        r#"{"schools": [{"id": "H", "capacity": 1}, {"id": "G", "capacity": 1}],
            "students": [{"id": "a", "preferences": ["H", "Q", "H"]}, {"id": "b", "preferences": ["G", "G"]}]}"#,
    )
    .expect("well-formed")
    .to_instance()
    .expect_err("bad lists");
    assert_eq!(
        e.errors()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "pupil \"a\": field \"preferences\"[1]: unknown school \"Q\"",
            "pupil \"a\": field \"preferences\": school \"H\" listed twice",
            "pupil \"b\": field \"preferences\": school \"G\" listed twice",
        ]
    );
}

// ---- Seats, sizes ----------------------------------------------------------------------

/// A school without seats is allowed: nobody is placed there, and the pupils of its zone
/// (or who list it) end elsewhere. `seats 0` and `entry_classes 0` both mean no seats under
/// the standard policy; under `guarantee` stated seats give way to the classrooms.
#[test]
fn zero_seat_schools_admit_nobody_and_pupils_end_elsewhere() {
    let files = Files {
        schools: SCHOOLS
            .replace("113.605,34.745,1,D1,2", "113.605,34.745,1,D1,0")
            .replace("113.612,34.748,1,D1,1", "113.612,34.748,0,D1,"),
        ..Files::default()
    };
    let city = files.city();
    let result = run(&city, &AssignParams::default());
    assert_eq!(result.seats, vec![0, 2, 0]);
    assert_eq!(result.placed, vec![0, 2, 0]);
    // p1's private school has no seat, so p1 goes by zone: ZB's PB seats b1 and p1. a1 and
    // a2 live in ZA, whose PA has no seat; with PB full they are left unplaced.
    assert_eq!(
        placements(&city, &result),
        "a1:-:unplaced a2:-:unplaced b1:PB:zone p1:PB:zone"
    );
    assert_eq!(result.placements[0].reason, Some(UnplacedReason::ZoneFull));
    assert_eq!(result.placements[3].how, How::Zone);
    let primary = &result.stages[0].1;
    assert_eq!((primary.seats, primary.placed, primary.unplaced), (2, 2, 2));

    let guarantee = run(
        &city,
        &AssignParams::default().class_policy(SeatRule::Guarantee),
    );
    assert_eq!(guarantee.seats, vec![45, 45, 0]);
    assert_eq!(
        placements(&city, &guarantee),
        "a1:PA:zone a2:PA:zone b1:PB:zone p1:PB:zone"
    );

    // In a match instance: every mechanism leaves the seatless school empty and places
    // its applicants at their next choice.
    let input = MatchInput::from_json(
        "input.json",
        r#"{"schools": [{"id": "Z", "capacity": 0}, {"id": "G", "capacity": 2}],
            "students": [{"id": "a", "preferences": ["Z", "G"], "score": 1},
                         {"id": "b", "preferences": ["Z", "G"], "score": 2},
                         {"id": "c", "preferences": ["Z"], "score": 3}]}"#,
    )
    .expect("well-formed");
    let instance = input.to_instance().expect("zero capacity is valid");
    for mechanism in mechanisms() {
        let outcome =
            solve(&instance, &SolveParams::default().mechanism(mechanism)).expect("conserves");
        let out = MatchOutput::new(&instance, &outcome);
        assert_eq!(
            (
                out.assignment.get("a"),
                out.assignment.get("b"),
                out.assignment.get("c")
            ),
            (Some(Some("G")), Some(Some("G")), Some(None)),
            "{}",
            mechanism.name()
        );
        assert_eq!(out.schools[0].filled, 0);
        assert_eq!(out.schools[0].cutoff, None);
        assert_eq!(
            out.unplaced[0].reason,
            "not admitted at the one school listed"
        );
    }
}

fn mechanisms() -> Vec<Mechanism> {
    vec![
        Mechanism::DeferredAcceptance,
        Mechanism::SchoolProposing,
        Mechanism::ImmediateAcceptance,
        Mechanism::TopTradingCycles,
        Mechanism::Serial,
        Mechanism::ChenKesten(ChoiceBand::Choices(2)),
    ]
}

/// An empty city — a pupils file with a header and no rows — loads and assigns: no
/// placements, every stage that has schools reported with zero pupils, every output file
/// written with its header. A city with no schools, zones or pupils at all has no stages.
#[test]
fn an_empty_city_runs_with_zero_counts() {
    let header = PUPILS.lines().next().expect("header");
    let city = Files {
        pupils: format!("{header}\n"),
        ..Files::default()
    }
    .city();
    let result = run(&city, &AssignParams::default());
    assert!(result.placements.is_empty());
    assert_eq!(result.stages.len(), 1);
    let (stage, primary) = &result.stages[0];
    assert_eq!(*stage, Stage::Primary);
    assert_eq!(
        (primary.pupils, primary.placed, primary.unplaced),
        (0, 0, 0)
    );
    assert_eq!(primary.seats, 5);
    assert_eq!(primary.classes.classes, 0);
    assert_eq!((primary.mean_distance_m, primary.large_share), (0.0, 0.0));
    let mut text = Vec::new();
    write::placements(&city, &result, &mut text).expect("written");
    assert_eq!(
        String::from_utf8_lossy(&text),
        "pupil_id,stage,school_id,how,distance_m,zone_id,reason\n"
    );
    let mut text = Vec::new();
    write::draws(&city, &result, &mut text).expect("written");
    assert_eq!(text.iter().filter(|&&b| b == b'\n').count(), 1);

    let nothing = Files {
        zones: zones(&[]),
        schools: "id,stage,lon,lat,entry_classes\n".to_owned(),
        pupils: "id,stage,lon,lat\n".to_owned(),
        roads: None,
    }
    .city();
    let result = run(&nothing, &AssignParams::default());
    assert!(result.placements.is_empty() && result.stages.is_empty());
    let mut text = Vec::new();
    write::summary(&result, &mut text).expect("written");
    let summary: serde_json::Value = serde_json::from_slice(&text).expect("json");
    assert_eq!(summary["stages"], serde_json::json!({}));
}

/// Pupils but no schools: every pupil is unplaced, with the reason.
#[test]
fn a_city_without_schools_leaves_everyone_unplaced() {
    let city = Files {
        zones: zones(&[]),
        schools: "id,stage,lon,lat,entry_classes\n".to_owned(),
        pupils: "id,stage,lon,lat\na1,primary,113.604,34.744\nj1,junior,113.605,34.745\n"
            .to_owned(),
        roads: None,
    }
    .city();
    let result = run(&city, &AssignParams::default());
    assert_eq!(placements(&city, &result), "a1:-:unplaced j1:-:unplaced");
    assert_eq!(
        result.placements[0].reason_text(Stage::Primary),
        "no free seat at any public primary school (home outside every zone of the stage)"
    );
    assert_eq!(result.stages.len(), 2);
}

/// A single pupil: a city of one, and a match instance of one under every mechanism and
/// both tie-breaks.
#[test]
fn a_single_pupil() {
    let city = Files {
        pupils: "id,stage,lon,lat,preferences\nb1,primary,113.616,34.744,PP\n".to_owned(),
        ..Files::default()
    }
    .city();
    let result = run(&city, &AssignParams::default().seed(9));
    assert_eq!(placements(&city, &result), "b1:PP:private");
    let drawn: Vec<(&str, Vec<u32>)> = result
        .draws
        .iter()
        .filter(|d| !d.order.is_empty())
        .map(|d| (d.lottery, d.order.clone()))
        .collect();
    assert_eq!(drawn, vec![("private", vec![0])]);

    let input = MatchInput::from_json(
        "input.json",
        r#"{"schools": [{"id": "H", "capacity": 1}], "students": [{"id": "a", "preferences": ["H"]}]}"#,
    )
    .expect("well-formed");
    let instance = input.to_instance().expect("valid");
    for mechanism in mechanisms() {
        for tie_break in [TieBreak::Single, TieBreak::Multiple] {
            let params = SolveParams::default()
                .mechanism(mechanism)
                .tie_break(tie_break)
                .improve(mechanism.is_stable());
            let out = MatchOutput::new(&instance, &solve(&instance, &params).expect("conserves"));
            assert_eq!(
                out.assignment.get("a"),
                Some(Some("H")),
                "{}",
                mechanism.name()
            );
            assert_eq!(
                (
                    out.stats.pupils,
                    out.stats.placed,
                    out.stats.placed_by_choice.clone()
                ),
                (1, 1, vec![1])
            );
        }
    }
}

/// Match instances with no pupils, no schools, or neither: valid, and every mechanism
/// returns an empty or all-unplaced result.
#[test]
fn empty_match_instances() {
    for (json, pupils, unplaced) in [
        (r#"{"schools": [], "students": []}"#, 0, 0),
        (
            r#"{"schools": [{"id": "H", "capacity": 3}], "students": []}"#,
            0,
            0,
        ),
        (
            r#"{"schools": [], "students": [{"id": "a"}, {"id": "b", "preferences": []}]}"#,
            2,
            2,
        ),
    ] {
        let instance = MatchInput::from_json("input.json", json)
            .expect("well-formed")
            .to_instance()
            .expect("valid");
        for mechanism in mechanisms() {
            let outcome =
                solve(&instance, &SolveParams::default().mechanism(mechanism)).expect("conserves");
            let out = MatchOutput::new(&instance, &outcome);
            assert_eq!(
                (out.stats.pupils, out.stats.unplaced),
                (pupils, unplaced),
                "{json}"
            );
            assert!(out.unplaced.iter().all(|u| u.reason == "listed no school"));
        }
    }
}

// ---- Scores and lotteries --------------------------------------------------------------

/// Scores must be finite and non-negative: NaN, infinity and negatives are errors naming
/// the line (city), the pupil (match instance) or the builder call.
#[test]
fn nan_and_negative_scores_are_errors() {
    Files {
        pupils: "id,stage,lon,lat,score\n\
                 a1,primary,113.604,34.744,NaN\n\
                 a2,primary,113.606,34.746,-1\n\
                 b1,primary,113.616,34.744,inf\n\
                 p1,primary,113.614,34.746,ninety\n\
                 p2,primary,113.614,34.746,0\n"
            .to_owned(),
        ..Files::default()
    }
    .check_problems(&[
        "pupils.csv line 2: score NaN is not a finite, non-negative number",
        "pupils.csv line 3: score -1 is not a finite, non-negative number",
        "pupils.csv line 4: score inf is not a finite, non-negative number",
        "pupils.csv line 5: score \"ninety\" is not a finite, non-negative number",
    ]);
    let e = MatchInput::from_json(
        "input.json",
        r#"{"schools": [], "students": [{"id": "a", "score": -3}, {"id": "b", "score": "NaN"}, {"id": "c", "score": 0}]}"#,
    )
    .expect("well-formed")
    .to_instance()
    .expect_err("bad scores");
    assert_eq!(
        e.errors()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "pupil \"a\": field \"score\": -3 is not a finite, non-negative number",
            "pupil \"b\": field \"score\": \"NaN\" is not a finite, non-negative number",
        ]
    );
    // JSON has no NaN literal: a syntax error with its line and column.
    let e = MatchInput::from_json(
        "input.json",
        "{\"schools\": [],\n \"students\": [{\"id\": \"a\", \"score\": NaN}]}",
    )
    .expect_err("not JSON");
    assert!(
        e.to_string().starts_with("input.json: line 2 column "),
        "{e}"
    );
    let mut b = InstanceBuilder::new();
    let a = b.add_student("a", []);
    b.set_score(a, f64::NAN);
    let e = b.build().expect_err("NaN score");
    assert_eq!(
        e.to_string(),
        "1 problem in the instance\n  pupil \"a\": field \"score\": NaN is not a finite, non-negative number"
    );
}

/// A given lottery must order every pupil exactly once: unknown, repeated and missing
/// pupils are all reported.
#[test]
fn a_lottery_that_misses_repeats_or_invents_pupils() {
    let check = |lottery: &str, expected: &[&str]| {
        let json = format!(
            r#"{{"schools": [{{"id": "H", "capacity": 1}}],
                "students": [{{"id": "a"}}, {{"id": "b"}}, {{"id": "c"}}],
                "lottery": {lottery}}}"#
        );
        let e = MatchInput::from_json("input.json", &json)
            .expect("well-formed")
            .to_instance()
            .expect_err("bad lottery");
        let got: Vec<String> = e.errors().iter().map(ToString::to_string).collect();
        assert_eq!(got, expected, "{lottery}");
    };
    check(
        r#"["c", "a"]"#,
        &["lottery: 1 pupil(s) not drawn, first \"b\"; a given draw must order every pupil"],
    );
    check(
        r#"["c", "a", "c", "b"]"#,
        &["lottery[2]: pupil \"c\" drawn twice"],
    );
    // Unknown pupils are named; repeats and misses are then not checked (positions would
    // shift).
    check(r#"["a", "a", "z"]"#, &["lottery[2]: unknown pupil \"z\""]);
    // Other problems do not hide the lottery's.
    let e = MatchInput::from_json(
        "input.json",
        r#"{"schools": [], "students": [{"id": "a", "score": -1}, {"id": "b"}], "lottery": ["a", "a"]}"#,
    )
    .expect("well-formed")
    .to_instance()
    .expect_err("bad");
    assert_eq!(
        e.errors()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        vec![
            "pupil \"a\": field \"score\": -1 is not a finite, non-negative number",
            "lottery[1]: pupil \"a\" drawn twice",
            "lottery: 1 pupil(s) not drawn, first \"b\"; a given draw must order every pupil",
        ]
    );
    check(
        r#"[]"#,
        &["lottery: 3 pupil(s) not drawn, first \"a\"; a given draw must order every pupil"],
    );
    // The builder checks a draw given in code the same way.
    let mut b = InstanceBuilder::new();
    let a = b.add_student("a", []);
    let _ = b.add_student("b", []);
    b.set_lottery(vec![a, a]);
    let got: Vec<String> = b
        .build()
        .expect_err("bad draw")
        .errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        vec![
            "lottery[1]: pupil \"a\" drawn twice",
            "lottery: 1 pupil(s) not drawn, first \"b\"; a given draw must order every pupil",
        ]
    );
}

/// Everything at once: problems in several files are all reported in one error.
#[test]
fn every_problem_is_reported_at_once() {
    let e = Files {
        schools: SCHOOLS.replace("113.615,34.745", "113.615,95"),
        pupils: format!("{PUPILS}a1,primary,113.6,34.7,,,,,-2,,\n"),
        zones: zones(&[(
            "ZA",
            r#"["PA", "PQ"]"#,
            square(113.60, 34.74, 113.61, 34.75),
        )]),
        roads: None,
    }
    .load()
    .expect_err("bad city");
    assert_eq!(e.0.len(), 4, "{e}");
    assert!(
        e.to_string().starts_with("4 problems in the city files"),
        "{e}"
    );
}
