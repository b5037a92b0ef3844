//! Unit tests of the difficulty pallet: adjustment up and down, damping, clamping, bounds.

use crate::{
	mock::*, next_difficulty, BlockSample, CurrentDifficulty, Error, Event, LastSetIn, RecentBlocks,
};
use frame_support::{assert_noop, assert_ok};
use sp_core::U256;
use sp_runtime::{traits::BadOrigin, BuildStorage};

/// Produces blocks `durations_ms` apart, starting from a first block at t = 1 000 000 ms.
fn blocks_with_durations(durations_ms: &[u64]) {
	let mut now = 1_000_000u64;
	pallet_timestamp::Pallet::<Test>::set_timestamp(now);
	for duration in durations_ms {
		now += duration;
		System::set_block_number(System::block_number() + 1);
		pallet_timestamp::Now::<Test>::kill();
		pallet_timestamp::Pallet::<Test>::set_timestamp(now);
	}
}

fn difficulty() -> u64 {
	CurrentDifficulty::<Test>::get().as_u64()
}

#[test]
fn genesis_sets_the_initial_difficulty() {
	new_test_ext().execute_with(|| assert_eq!(difficulty(), INITIAL));
}

#[test]
#[should_panic(expected = "initial difficulty outside")]
fn genesis_refuses_a_difficulty_out_of_bounds() {
	let _ = RuntimeGenesisConfig {
		system: Default::default(),
		difficulty: crate::GenesisConfig {
			initial_difficulty: U256::zero(),
			_config: Default::default(),
		},
	}
	.build_storage();
}

#[test]
fn the_first_block_only_records_its_timestamp() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[]);
		assert_eq!(difficulty(), INITIAL);
		assert!(RecentBlocks::<Test>::get().is_empty());
	});
}

#[test]
fn on_target_blocks_keep_the_difficulty() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[TARGET_MS; 6]);
		assert_eq!(difficulty(), INITIAL);
	});
}

#[test]
fn slow_blocks_lower_the_difficulty_damped() {
	new_test_ext().execute_with(|| {
		// Twice the target: undamped halves; damping 2 applies half the correction: × 0.75.
		blocks_with_durations(&[2 * TARGET_MS]);
		assert_eq!(difficulty(), INITIAL * 3 / 4);
		System::assert_last_event(
			Event::DifficultyAdjusted { from: INITIAL.into(), to: (INITIAL * 3 / 4).into() }.into(),
		);
	});
}

#[test]
fn fast_blocks_raise_the_difficulty_damped() {
	new_test_ext().execute_with(|| {
		// Half the target: undamped doubles; damped × 1.5.
		blocks_with_durations(&[TARGET_MS / 2]);
		assert_eq!(difficulty(), INITIAL * 3 / 2);
	});
}

#[test]
fn a_long_run_of_fast_blocks_converges_up() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[TARGET_MS / 4; 20]);
		assert!(difficulty() > 3 * INITIAL, "difficulty {} did not climb", difficulty());
	});
}

#[test]
fn a_huge_speed_up_is_clamped_per_block() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[1]);
		assert_eq!(difficulty(), INITIAL * 2);
	});
}

#[test]
fn a_huge_slow_down_at_most_halves_the_difficulty() {
	new_test_ext().execute_with(|| {
		// Damping 2 alone keeps a slow-down above ×0.5: (1000 + 1) / 2000.
		blocks_with_durations(&[1_000 * TARGET_MS]);
		assert_eq!(difficulty(), INITIAL * 1_001 / 2_000);
	});
}

#[test]
fn without_damping_the_clamp_bounds_each_step() {
	let sample = |duration_ms: u64| BlockSample { difficulty: 1_000.into(), duration_ms };
	let (min, max) = (U256::one(), U256::MAX);
	// Undamped, 1000× too slow would divide by 1000; the clamp of 4 stops it at ÷4.
	assert_eq!(next_difficulty(&[sample(6_000_000)], 6_000, 1, 4, min, max), Some(250.into()));
	// Undamped, 1000× too fast would multiply by 1000; the clamp stops it at ×4.
	assert_eq!(next_difficulty(&[sample(6)], 6_000, 1, 4, min, max), Some(4_000.into()));
}

#[test]
fn the_difficulty_never_leaves_its_bounds() {
	test_ext_with(1_500).execute_with(|| {
		blocks_with_durations(&[1_000 * TARGET_MS; 3]);
		assert_eq!(difficulty(), 1_000);
	});
	test_ext_with(900_000_000).execute_with(|| {
		blocks_with_durations(&[1; 3]);
		assert_eq!(difficulty(), 1_000_000_000);
	});
}

#[test]
fn the_window_keeps_only_the_most_recent_blocks() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[1, 2, 3, 4, 5, 6]);
		let durations: Vec<u64> =
			RecentBlocks::<Test>::get().iter().map(|sample| sample.duration_ms).collect();
		assert_eq!(durations, vec![3, 4, 5, 6]);
	});
}

#[test]
fn governance_sets_the_difficulty_and_restarts_the_window() {
	new_test_ext().execute_with(|| {
		blocks_with_durations(&[TARGET_MS; 2]);
		assert_ok!(Difficulty::set_difficulty(RuntimeOrigin::root(), U256::from(5_000)));
		assert_eq!(difficulty(), 5_000);
		assert!(RecentBlocks::<Test>::get().is_empty());
		System::assert_last_event(Event::DifficultySet { difficulty: U256::from(5_000) }.into());
	});
}

#[test]
fn setting_a_difficulty_out_of_bounds_fails() {
	new_test_ext().execute_with(|| {
		for bad in [U256::zero(), U256::from(999), U256::from(1_000_000_001u64)] {
			assert_noop!(
				Difficulty::set_difficulty(RuntimeOrigin::root(), bad),
				Error::<Test>::DifficultyOutOfBounds
			);
		}
	});
}

#[test]
fn governance_raises_the_difficulty_at_most_by_the_clamp_factor() {
	new_test_ext().execute_with(|| {
		let current = U256::from(INITIAL);
		let highest = current * U256::from(2u32);
		assert_noop!(
			Difficulty::set_difficulty(RuntimeOrigin::root(), highest + U256::one()),
			Error::<Test>::DifficultyRaisedTooFar
		);
		assert_ok!(Difficulty::set_difficulty(RuntimeOrigin::root(), highest));
		assert_eq!(difficulty(), highest.as_u64());
		// Lowering far is what governance is for.
		System::set_block_number(System::block_number() + 1);
		assert_ok!(Difficulty::set_difficulty(RuntimeOrigin::root(), U256::from(1_000)));
		assert_eq!(difficulty(), 1_000);
	});
}

#[test]
fn governance_sets_the_difficulty_once_per_block_so_a_batch_cannot_compound_the_cap() {
	new_test_ext().execute_with(|| {
		System::set_block_number(5);
		let doubled = U256::from(INITIAL) * U256::from(2u32);
		assert_ok!(Difficulty::set_difficulty(RuntimeOrigin::root(), doubled));
		// A second raise in the same block would double the doubled difficulty.
		assert_noop!(
			Difficulty::set_difficulty(RuntimeOrigin::root(), doubled * U256::from(2u32)),
			Error::<Test>::AlreadySetInThisBlock
		);
		// Lowering again in the same block too: one setting per block.
		assert_noop!(
			Difficulty::set_difficulty(RuntimeOrigin::root(), U256::from(INITIAL)),
			Error::<Test>::AlreadySetInThisBlock
		);
		assert_eq!(LastSetIn::<Test>::get(), Some(5));
		System::set_block_number(6);
		assert_ok!(Difficulty::set_difficulty(RuntimeOrigin::root(), doubled * U256::from(2u32)));
		assert_eq!(difficulty(), (doubled * U256::from(2u32)).as_u64());
	});
}

#[test]
fn only_governance_sets_the_difficulty() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Difficulty::set_difficulty(RuntimeOrigin::signed(1), U256::from(5_000)),
			BadOrigin
		);
	});
}

#[test]
fn next_difficulty_averages_the_window_and_survives_extremes() {
	let sample = |difficulty: u64, duration_ms: u64| BlockSample {
		difficulty: difficulty.into(),
		duration_ms,
	};
	let (min, max) = (U256::one(), U256::MAX);
	assert_eq!(next_difficulty(&[], 6_000, 2, 2, min, max), None);
	// Average difficulty 200, average time on target: 200.
	assert_eq!(
		next_difficulty(&[sample(100, 3_000), sample(300, 9_000)], 6_000, 2, 2, min, max),
		Some(U256::from(200))
	);
	// No damping (factor 1) and a wide clamp: the full correction.
	assert_eq!(
		next_difficulty(&[sample(100, 12_000)], 6_000, 1, 10, min, max),
		Some(U256::from(50))
	);
	// Zero-length blocks and a maximal difficulty neither divide by zero nor overflow.
	let extreme = BlockSample { difficulty: U256::MAX, duration_ms: 0 };
	assert_eq!(next_difficulty(&[extreme; 3], 6_000, 0, 0, min, max), Some(U256::MAX));
}

#[test]
fn the_default_genesis_starts_at_the_minimum_difficulty() {
	let config = crate::GenesisConfig::<Test>::default();
	assert_eq!(config.initial_difficulty, MinDifficulty::get());
	let storage = RuntimeGenesisConfig { system: Default::default(), difficulty: config }
		.build_storage()
		.expect("the default builds");
	sp_io::TestExternalities::new(storage)
		.execute_with(|| assert_eq!(CurrentDifficulty::<Test>::get(), MinDifficulty::get()));
}
