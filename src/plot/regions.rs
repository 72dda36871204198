//! Where the phase diagram names its regions: the connected regions of cells with one
//! verdict, and how deep inside its region each cell lies.
//!
//! Cells are `(i, j)` on an `nx` by `ny` grid, neighbours share an edge.

use std::collections::BTreeMap;

/// The connected regions of cells with equal verdicts, each sorted, largest first (ties
/// by first cell). Union-find over the right and upper neighbours of every cell.
pub(crate) fn regions<'r>(
    nx: usize,
    ny: usize,
    regime: &dyn Fn(usize, usize) -> &'r str,
) -> Vec<Vec<(usize, usize)>> {
    let mut parent: Vec<usize> = (0..nx * ny).collect();
    fn root(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    for i in 0..nx {
        for j in 0..ny {
            let k = i * ny + j;
            for (a, b) in [(i + 1, j), (i, j + 1)] {
                if a < nx && b < ny && regime(a, b) == regime(i, j) {
                    let (r, s) = (root(&mut parent, k), root(&mut parent, a * ny + b));
                    parent[r.max(s)] = r.min(s);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
    for i in 0..nx {
        for j in 0..ny {
            let r = root(&mut parent, i * ny + j);
            groups.entry(r).or_default().push((i, j));
        }
    }
    let mut out: Vec<_> = groups.into_values().collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// How deep inside its region each cell is: steps to the nearest cell that touches
/// another verdict (1 for those cells themselves), or to just past the plot's edge if
/// that is nearer. The city-block distance transform in two sweeps, forward and back.
pub(crate) fn depths<'r>(
    nx: usize,
    ny: usize,
    regime: &dyn Fn(usize, usize) -> &'r str,
) -> Vec<f64> {
    const FAR: u32 = u32::MAX / 2;
    let differs = |i: usize, j: usize| {
        let here = regime(i, j);
        (i > 0 && regime(i - 1, j) != here)
            || (i + 1 < nx && regime(i + 1, j) != here)
            || (j > 0 && regime(i, j - 1) != here)
            || (j + 1 < ny && regime(i, j + 1) != here)
    };
    let mut depth: Vec<u32> = (0..nx * ny)
        .map(|k| if differs(k / ny, k % ny) { 1 } else { FAR })
        .collect();
    for k in 0..nx * ny {
        let (i, j) = (k / ny, k % ny);
        if i > 0 {
            depth[k] = depth[k].min(depth[k - ny] + 1);
        }
        if j > 0 {
            depth[k] = depth[k].min(depth[k - 1] + 1);
        }
    }
    for k in (0..nx * ny).rev() {
        let (i, j) = (k / ny, k % ny);
        if i + 1 < nx {
            depth[k] = depth[k].min(depth[k + ny] + 1);
        }
        if j + 1 < ny {
            depth[k] = depth[k].min(depth[k + 1] + 1);
        }
    }
    (0..nx * ny)
        .map(|k| {
            let (i, j) = (k / ny, k % ny);
            let edge = [i + 1, nx - i, j + 1, ny - j]
                .into_iter()
                .min()
                .unwrap_or(1);
            f64::from(depth[k].min(edge as u32))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 5 x 4 grid: `race` in a 2 x 2 corner, `run` elsewhere except one `mixed` cell
    /// cut off from the corner.
    fn grid(i: usize, j: usize) -> &'static str {
        match (i, j) {
            (0..=1, 0..=1) => "race",
            (4, 3) => "mixed",
            _ => "run",
        }
    }

    #[test]
    fn regions_are_connected_sets_largest_first() {
        let r = regions(5, 4, &grid);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].len(), 15);
        assert_eq!(r[1], vec![(0, 0), (0, 1), (1, 0), (1, 1)]);
        assert_eq!(r[2], vec![(4, 3)]);
        // Two separate patches of one verdict are two regions.
        let split = |i: usize, _: usize| if i == 1 { "run" } else { "race" };
        let r = regions(3, 2, &split);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], vec![(0, 0), (0, 1)]);
    }

    #[test]
    fn depth_counts_steps_to_the_nearest_boundary_or_edge() {
        let d = depths(5, 4, &grid);
        let at = |i: usize, j: usize| d[i * 4 + j];
        // Next to another verdict: 1. The far corner of the run region is 2 steps from
        // the race corner and the mixed cell, and 1 from the edge.
        assert_eq!(at(1, 1), 1.0);
        assert_eq!(at(2, 0), 1.0);
        assert_eq!(at(3, 1), 2.0);
        assert_eq!(at(2, 2), 2.0);
        // A uniform grid: only the edge bounds the depth.
        let d = depths(7, 7, &|_, _| "run");
        assert_eq!(d[3 * 7 + 3], 4.0);
        assert_eq!(d[0], 1.0);
    }
}
