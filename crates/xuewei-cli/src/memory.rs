//! A guard against inputs too large for the machine: a run that would need more memory than
//! is available stops at once with a message, instead of being killed or aborting part-way.
//!
//! `xuewei match` holds the JSON text with the parsed records, then the records with the
//! dense instance, then the instance with the output. Measured peaks (docs/perf.md):
//! 1.19 GB for a 116 MB input (1M pupils × 10 choices) and 11.8 GB for a 1.25 GB input
//! (10M pupils), 9.4–10.2× the file; the guard asks for [`PEAK_PER_INPUT_BYTE`] times the
//! file size.

use std::path::Path;

/// Peak resident memory of `xuewei match` per byte of input JSON, rounded up from the
/// measured 9.4–10.2.
pub(crate) const PEAK_PER_INPUT_BYTE: u64 = 11;

/// Bytes this process may still use: `MemAvailable` of `/proc/meminfo`, lowered to the
/// cgroup's `memory.max` headroom and to the address-space limit (`ulimit -v`) when they
/// are set. `None` where none can be read (not Linux), in which case no check is made.
pub(crate) fn available_bytes() -> Option<u64> {
    let address_space = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits
                .lines()
                .find(|l| l.starts_with("Max address space"))?;
            line.split_whitespace().nth(3)?.parse::<u64>().ok()
        });
    match (physical_available(), address_space) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn physical_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let available = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb * 1024)?;
    let cgroup = |name: &str| {
        std::fs::read_to_string(Path::new("/sys/fs/cgroup").join(name))
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    Some(match (cgroup("memory.max"), cgroup("memory.current")) {
        (Some(max), Some(current)) => available.min(max.saturating_sub(current)),
        _ => available,
    })
}

/// Whether a run over an input of `input_bytes` fits in `available` bytes; the error names
/// the file and both figures.
pub(crate) fn check(file: &Path, input_bytes: u64, available: Option<u64>) -> Result<(), String> {
    let Some(available) = available else {
        return Ok(());
    };
    let need = input_bytes.saturating_mul(PEAK_PER_INPUT_BYTE);
    if need <= available {
        return Ok(());
    }
    Err(format!(
        "{}: {} of input needs about {} of memory and {} is available; \
         split the instance (e.g. by district), or run on a larger machine",
        file.display(),
        human(input_bytes),
        human(need),
        human(available)
    ))
}

fn human(bytes: u64) -> String {
    const GB: f64 = 1e9;
    const MB: f64 = 1e6;
    let b = bytes as f64;
    if b >= GB {
        format!("{:.1} GB", b / GB)
    } else {
        format!("{:.0} MB", b / MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_inputs_that_cannot_fit_and_names_the_figures() {
        let file = Path::new("big.json");
        let err = check(file, 1_254_486_407, Some(8_000_000_000)).expect_err("too big");
        assert_eq!(
            err,
            "big.json: 1.3 GB of input needs about 13.8 GB of memory and 8.0 GB is available; \
             split the instance (e.g. by district), or run on a larger machine"
        );
        assert_eq!(check(file, 116_444_342, Some(8_000_000_000)), Ok(()));
        // Unknown availability: no check.
        assert_eq!(check(file, u64::MAX, None), Ok(()));
    }

    #[test]
    fn reads_this_machines_memory() {
        if cfg!(target_os = "linux") {
            let got = available_bytes().expect("/proc/meminfo");
            assert!(got > 0);
        }
    }
}
