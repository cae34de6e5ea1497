//! Integer apportionments with exact totals: largest remainders, highest averages and
//! systematic sampling.

/// Splits `total` over weights by largest remainders (ties to the lower index).
pub(crate) fn hamilton(total: u64, weights: &[f64]) -> Vec<u32> {
    let w: f64 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    let quotas: Vec<f64> = if w > 0.0 {
        weights.iter().map(|&x| total as f64 * x / w).collect()
    } else {
        vec![total as f64 / weights.len() as f64; weights.len()]
    };
    let mut out: Vec<u32> = quotas.iter().map(|q| q.floor() as u32).collect();
    let given: u64 = out.iter().map(|&x| u64::from(x)).sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = quotas[a] - quotas[a].floor();
        let fb = quotas[b] - quotas[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order
        .iter()
        .cycle()
        .take(total.saturating_sub(given) as usize)
    {
        out[i] += 1;
    }
    out
}

/// Splits `total` over weights by Sainte-Laguë highest averages, each share at most its cap.
pub(crate) fn highest_averages(total: u32, weights: &[f64], caps: &[u32]) -> Vec<u32> {
    let mut out = vec![0u32; weights.len()];
    let any = weights.iter().zip(caps).any(|(&w, &c)| w > 0.0 && c > 0);
    for _ in 0..total {
        let mut best: Option<(f64, usize)> = None;
        for i in 0..weights.len() {
            if out[i] >= caps[i] {
                continue;
            }
            let w = if any { weights[i] } else { 1.0 };
            if w <= 0.0 && any {
                continue;
            }
            let q = w / f64::from(2 * out[i] + 1);
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, i));
            }
        }
        match best {
            Some((_, i)) => out[i] += 1,
            None => break,
        }
    }
    out
}

/// Spreads `total` over weights by systematic sampling with offset `u` ∈ [0, 1): exact
/// total, each share within one of its quota.
pub(crate) fn systematic(total: u64, weights: &[f64], u: f64) -> Vec<u32> {
    let w: f64 = weights.iter().sum();
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    if w <= 0.0 {
        return hamilton(total, &vec![1.0; n]);
    }
    let mut out = Vec::with_capacity(n);
    let (mut cum, mut prev) = (0.0, 0u64);
    for (i, &x) in weights.iter().enumerate() {
        cum += x;
        let cur = if i + 1 == n {
            total
        } else {
            ((u + total as f64 * cum / w).floor() as u64)
                .min(total)
                .max(prev)
        };
        out.push((cur - prev) as u32);
        prev = cur;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportionments_are_exact() {
        assert_eq!(hamilton(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(hamilton(5, &[0.0, 0.0]), vec![3, 2]);
        let s = systematic(1000, &[1.0, 5.0, 0.0, 3.5], 0.37);
        assert_eq!(s.iter().map(|&x| u64::from(x)).sum::<u64>(), 1000);
        assert_eq!(s[2], 0);
        assert_eq!(
            highest_averages(7, &[1.0, 2.0, 4.0], &[9, 9, 1]),
            vec![2, 4, 1]
        );
    }
}
