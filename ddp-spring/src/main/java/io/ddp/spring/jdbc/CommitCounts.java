package io.ddp.spring.jdbc;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transactions that committed document writes, counted by how many writes each
 * committed, in powers of two up to {@link GroupCommit#MAX_GROUP}: whether concurrent
 * writes group, and how much, shows in the spread, which an average hides.
 * <p>
 * Threads: any thread counts; reads are sums of {@link LongAdder}s, exact once the
 * writers are quiet.
 */
final class CommitCounts {

	/** The labels of the sizes counted, smallest first. */
	static final List<String> GROUP_SIZES = List.of("1", "2-3", "4-7", "8-15", "16-31", "32");

	private final LongAdder[] counts = new LongAdder[GROUP_SIZES.size()];

	CommitCounts() {
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] = new LongAdder();
		}
	}

	/**
	 * Count one transaction.
	 * @param writes how many writes it committed, at least one
	 */
	void committed(int writes) {
		int bucket = 31 - Integer.numberOfLeadingZeros(Math.max(1, writes));
		this.counts[Math.min(bucket, this.counts.length - 1)].increment();
	}

	/**
	 * Return how many transactions committed a number of writes in a size class.
	 * @param groupSize one of {@link #GROUP_SIZES}
	 * @return the transactions
	 * @throws IllegalArgumentException if the size class is not one of those
	 */
	long count(String groupSize) {
		int bucket = GROUP_SIZES.indexOf(groupSize);
		if (bucket < 0) {
			throw new IllegalArgumentException(
					"No group size '" + groupSize + "': commits are counted by " + GROUP_SIZES);
		}
		return this.counts[bucket].sum();
	}

	/**
	 * Return how many transactions were counted, whatever their size.
	 */
	long total() {
		long total = 0;
		for (LongAdder count : this.counts) {
			total += count.sum();
		}
		return total;
	}

}
