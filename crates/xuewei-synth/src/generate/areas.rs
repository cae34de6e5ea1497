//! Step 2: areas (学区 of urban districts, counties) and the blocks' areas.

use crate::city::{Area, BlockRecord};
use crate::geom::{partition, Node, Weighted};
use crate::params::Kind;

use super::Generator;

impl Generator<'_> {
    /// Step 2: areas (学区 of urban districts, counties), and the blocks' areas.
    pub(super) fn areas(&self, blocks: &mut [BlockRecord]) -> (Vec<Area>, Vec<Node>) {
        let mut areas = Vec::new();
        let mut trees = Vec::new();
        let district_of: Vec<u32> = blocks.iter().map(|b| self.district_of(b.at)).collect();
        for (d, dist) in self.params.districts.iter().enumerate() {
            let rect = self.district_rects[d];
            let first = areas.len() as u32;
            match dist.kind {
                Kind::County => {
                    areas.push(Area {
                        label: dist.name.clone(),
                        district: d as u32,
                        rect,
                    });
                    trees.push(Node::Leaf(first));
                }
                Kind::Urban => {
                    let mut points: Vec<Weighted> = blocks
                        .iter()
                        .zip(&district_of)
                        .filter(|(_, &bd)| bd as usize == d)
                        .map(|(b, _)| Weighted {
                            p: b.at,
                            w: b.ages.iter().map(|&c| f64::from(c)).sum(),
                        })
                        .collect();
                    let mut leaves = Vec::new();
                    let tree = partition(
                        &self.frame,
                        rect,
                        dist.xuequ,
                        &mut points,
                        &mut |_, _| false,
                        &mut leaves,
                    );
                    for (k, (r, _)) in leaves.iter().enumerate() {
                        areas.push(Area {
                            label: format!("{}第{}学区", dist.name, k + 1),
                            district: d as u32,
                            rect: *r,
                        });
                    }
                    trees.push(tree.offset(first));
                }
            }
        }
        for (b, &d) in blocks.iter_mut().zip(&district_of) {
            b.area = trees[d as usize].locate(b.at);
        }
        (areas, trees)
    }
}
