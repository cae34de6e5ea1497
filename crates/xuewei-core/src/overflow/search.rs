//! Dijkstra scratch over the nodes of the school graph (schools, the dummy school, the sink),
//! made once per run and reset through the nodes it touched, and where a search stops.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{INF, NONE};

/// Dijkstra scratch over the school nodes and the sink, reset through `touched`.
pub(super) struct Search {
    /// Tentative distance of each node from the sources (`INF`: unreached).
    pub(super) dist: Vec<i64>,
    /// Predecessor school (`NONE`: a source edge).
    pub(super) pred_school: Vec<u32>,
    /// Pupil moving into the node along its predecessor edge.
    pub(super) pred_pupil: Vec<u32>,
    /// Cost (mm) of that pupil at the node.
    pub(super) pred_cost: Vec<i64>,
    /// Settled nodes.
    pub(super) done: Vec<bool>,
    /// Nodes reached, the ones [`reset`](Self::reset) clears.
    touched: Vec<u32>,
    /// Nodes settled, in order: the ones whose potentials a search updates.
    pub(super) settled: Vec<u32>,
    /// (distance, rank): the goal node has rank 0, so that it is settled first among nodes
    /// at the same distance; school `j` has rank `j + 1`.
    pub(super) frontier: BinaryHeap<Reverse<(i64, u32)>>,
    /// The node that wins ties.
    pub(super) goal: u32,
    /// During a repair, the school with one pupil more than its flow to the sink.
    pub(super) excess_at: u32,
    /// During a repair, the school with one pupil less than its flow to the sink.
    pub(super) deficit_at: u32,
}

impl Search {
    /// Scratch for `n_nodes` nodes, none reached.
    pub(super) fn new(n_nodes: usize) -> Self {
        Self {
            dist: vec![INF; n_nodes],
            pred_school: vec![NONE; n_nodes],
            pred_pupil: vec![NONE; n_nodes],
            pred_cost: vec![0; n_nodes],
            done: vec![false; n_nodes],
            touched: Vec::new(),
            settled: Vec::new(),
            frontier: BinaryHeap::new(),
            goal: NONE,
            excess_at: NONE,
            deficit_at: NONE,
        }
    }

    /// Reaches `node` at distance `d` from `from` (`NONE`: a source), moving `pupil` (at
    /// `cost` mm) into it, if that is shorter than its distance so far.
    pub(super) fn relax(&mut self, node: u32, d: i64, from: u32, pupil: u32, cost: i64) {
        let v = node as usize;
        if d < self.dist[v] {
            if self.dist[v] == INF {
                self.touched.push(node);
            }
            self.dist[v] = d;
            self.pred_school[v] = from;
            self.pred_pupil[v] = pupil;
            self.pred_cost[v] = cost;
            let rank = if node == self.goal { 0 } else { node + 1 };
            self.frontier.push(Reverse((d, rank)));
        }
    }

    /// Back to no node reached.
    pub(super) fn reset(&mut self) {
        for &v in &self.touched {
            let v = v as usize;
            self.dist[v] = INF;
            self.done[v] = false;
            self.pred_school[v] = NONE;
            self.pred_pupil[v] = NONE;
        }
        self.touched.clear();
        self.settled.clear();
        self.frontier.clear();
    }
}

/// Where a search stops.
#[derive(Clone, Copy)]
pub(super) enum Goal {
    /// At the sink, through any school with a free seat (insertion).
    Sink,
    /// At this school (removal of one of its pupils).
    School(u32),
}
