package io.ddp.spring.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Meteor's outstanding method blocks ({@code _outstandingMethodBlocks}): calls in order,
 * grouped so that a {@code wait} call has a block of its own and consecutive other calls
 * share one. Only the first block is on the wire; a call leaves its block when its
 * {@code result} arrives, and the next block goes out once no sent call is unfinished.
 * Not thread-safe: guarded by the connection's lock.
 *
 * @since 0.1.0
 */
final class MethodBlocks {

	private Deque<Block> blocks = new ArrayDeque<>();

	/**
	 * Add a call at the end.
	 * @param invoker the call
	 * @return whether it landed in the first block, so it may be sent now
	 */
	boolean add(MethodInvoker invoker) {
		Block last = this.blocks.peekLast();
		if (invoker.wait || last == null || last.wait) {
			last = new Block(invoker.wait);
			this.blocks.addLast(last);
		}
		last.methods.add(invoker);
		return this.blocks.size() == 1;
	}

	/**
	 * Remove the call with this id from the first block, where every result must belong.
	 * @param id the method id
	 * @return the call, or {@code null} if the first block has none with that id
	 */
	@Nullable MethodInvoker removeFromFirst(String id) {
		Block first = this.blocks.peekFirst();
		if (first == null) {
			return null;
		}
		for (Iterator<MethodInvoker> it = first.methods.iterator(); it.hasNext();) {
			MethodInvoker invoker = it.next();
			if (invoker.id.equals(id)) {
				it.remove();
				return invoker;
			}
		}
		return null;
	}

	/**
	 * Remove a call wherever it is (a local timeout); an emptied block other than the
	 * first is dropped.
	 * @param invoker the call
	 */
	void remove(MethodInvoker invoker) {
		Block first = this.blocks.peekFirst();
		for (Iterator<Block> it = this.blocks.iterator(); it.hasNext();) {
			Block block = it.next();
			if (block.methods.remove(invoker)) {
				if (block.methods.isEmpty() && block != first) {
					it.remove();
				}
				return;
			}
		}
	}

	/**
	 * Drop the first block when every call in it has its result (it waited only for
	 * data).
	 * @return whether a block was dropped
	 */
	boolean dropFirstIfEmpty() {
		Block first = this.blocks.peekFirst();
		if (first != null && first.methods.isEmpty()) {
			this.blocks.removeFirst();
			return true;
		}
		return false;
	}

	/**
	 * Return the calls of the first block.
	 * @return the calls, possibly empty
	 */
	List<MethodInvoker> first() {
		Block first = this.blocks.peekFirst();
		return (first != null) ? first.methods : List.of();
	}

	/**
	 * Remove every block, leaving this empty.
	 * @return the blocks
	 */
	Deque<Block> takeAll() {
		Deque<Block> taken = this.blocks;
		this.blocks = new ArrayDeque<>();
		return taken;
	}

	/**
	 * Put blocks taken by {@link #takeAll()} back behind the current ones, merging the
	 * last current block with the first old one when neither is a wait block (Meteor's
	 * {@code _callOnReconnectAndSendAppropriateOutstandingMethods}).
	 * @param old the old blocks
	 * @return the calls that joined the first block and so must be sent now
	 */
	List<MethodInvoker> restore(Deque<Block> old) {
		List<MethodInvoker> toSend = new ArrayList<>();
		if (old.isEmpty()) {
			return toSend;
		}
		if (this.blocks.isEmpty()) {
			this.blocks = old;
			toSend.addAll(old.peekFirst().methods);
			return toSend;
		}
		Block last = this.blocks.peekLast();
		if (!last.wait && !old.peekFirst().wait) {
			Block merged = old.removeFirst();
			last.methods.addAll(merged.methods);
			if (this.blocks.size() == 1) {
				toSend.addAll(merged.methods);
			}
		}
		this.blocks.addAll(old);
		return toSend;
	}

	boolean isEmpty() {
		return this.blocks.isEmpty();
	}

	int size() {
		return this.blocks.size();
	}

	/**
	 * Return every call in order.
	 * @return the calls
	 */
	List<MethodInvoker> all() {
		List<MethodInvoker> all = new ArrayList<>();
		for (Block block : this.blocks) {
			all.addAll(block.methods);
		}
		return all;
	}

	/**
	 * A block of calls.
	 */
	static final class Block {

		final boolean wait;

		final List<MethodInvoker> methods = new ArrayList<>();

		Block(boolean wait) {
			this.wait = wait;
		}

	}

}
