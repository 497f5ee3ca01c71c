package io.ddp.spring.client;

import java.util.Deque;
import java.util.List;

import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MethodBlocks}: Meteor's outstanding method blocks (section 6.4, 6.6).
 */
class MethodBlocksTests {

	private static final Ejson EJSON = Ejson.createDefault();

	static MethodInvoker invoker(String id, boolean wait) {
		return new MethodInvoker(id, "m" + id, "{}", CallOptions.defaults().withWait(wait),
				EJSON.mapper().getTypeFactory().constructType(Object.class), true, true, 0);
	}

	@Test
	void consecutiveCallsShareTheFirstBlockAndAreSentAtOnce() {
		MethodBlocks blocks = new MethodBlocks();
		assertThat(blocks.add(invoker("1", false))).isTrue();
		assertThat(blocks.add(invoker("2", false))).isTrue();
		assertThat(blocks.size()).isEqualTo(1);
	}

	@Test
	void aWaitCallHasItsOwnBlockAndHoldsBackLaterCalls() {
		MethodBlocks blocks = new MethodBlocks();
		assertThat(blocks.add(invoker("1", false))).isTrue();
		assertThat(blocks.add(invoker("2", true))).isFalse();
		assertThat(blocks.add(invoker("3", false))).isFalse();
		assertThat(blocks.add(invoker("4", false))).isFalse();
		assertThat(blocks.size()).isEqualTo(3);
		assertThat(blocks.first()).extracting((m) -> m.id).containsExactly("1");
		// result of 1: the block empties but stays until the call finished (data visible)
		assertThat(blocks.removeFromFirst("1")).isNotNull();
		assertThat(blocks.size()).isEqualTo(3);
		assertThat(blocks.dropFirstIfEmpty()).isTrue();
		assertThat(blocks.first()).extracting((m) -> m.id).containsExactly("2");
		assertThat(blocks.dropFirstIfEmpty()).isFalse();
	}

	@Test
	void aWaitCallFirstMakesTheNextCallWait() {
		MethodBlocks blocks = new MethodBlocks();
		assertThat(blocks.add(invoker("1", true))).isTrue();
		assertThat(blocks.add(invoker("2", false))).isFalse();
	}

	@Test
	void resultsMatchOnlyTheFirstBlock() {
		MethodBlocks blocks = new MethodBlocks();
		blocks.add(invoker("1", false));
		blocks.add(invoker("2", true));
		assertThat(blocks.removeFromFirst("2")).isNull();
		assertThat(blocks.removeFromFirst("9")).isNull();
		assertThat(blocks.removeFromFirst("1")).isNotNull();
		assertThat(blocks.removeFromFirst("1")).isNull();
	}

	@Test
	void reconnectHookCallsGoFirstAndMergeWithOldNonWaitBlock() {
		MethodBlocks blocks = new MethodBlocks();
		blocks.add(invoker("1", false));
		blocks.add(invoker("2", false));
		blocks.add(invoker("3", true));
		Deque<MethodBlocks.Block> old = blocks.takeAll();
		assertThat(blocks.isEmpty()).isTrue();
		// a hook makes a plain call: it merges with the old first block, which goes out
		// too
		assertThat(blocks.add(invoker("10", false))).isTrue();
		List<MethodInvoker> toSend = blocks.restore(old);
		assertThat(toSend).extracting((m) -> m.id).containsExactly("1", "2");
		assertThat(blocks.all()).extracting((m) -> m.id).containsExactly("10", "1", "2", "3");
		assertThat(blocks.size()).isEqualTo(2);
	}

	@Test
	void aWaitHookCallHoldsBackTheOldCalls() {
		MethodBlocks blocks = new MethodBlocks();
		blocks.add(invoker("1", false));
		Deque<MethodBlocks.Block> old = blocks.takeAll();
		assertThat(blocks.add(invoker("login", true))).isTrue();
		assertThat(blocks.restore(old)).isEmpty();
		assertThat(blocks.first()).extracting((m) -> m.id).containsExactly("login");
		assertThat(blocks.all()).extracting((m) -> m.id).containsExactly("login", "1");
	}

	@Test
	void withoutHookCallsTheOldFirstBlockIsSentAgain() {
		MethodBlocks blocks = new MethodBlocks();
		blocks.add(invoker("1", false));
		blocks.add(invoker("2", true));
		List<MethodInvoker> toSend = blocks.restore(blocks.takeAll());
		assertThat(toSend).extracting((m) -> m.id).containsExactly("1");
		assertThat(blocks.size()).isEqualTo(2);
	}

	@Test
	void removingATimedOutCallDropsItsEmptiedBlockUnlessFirst() {
		MethodBlocks blocks = new MethodBlocks();
		MethodInvoker first = invoker("1", false);
		MethodInvoker waiting = invoker("2", true);
		blocks.add(first);
		blocks.add(waiting);
		blocks.remove(waiting);
		assertThat(blocks.size()).isEqualTo(1);
		blocks.remove(first);
		assertThat(blocks.size()).isEqualTo(1);
		assertThat(blocks.dropFirstIfEmpty()).isTrue();
		assertThat(blocks.isEmpty()).isTrue();
	}

}
