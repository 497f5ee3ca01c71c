package io.ddp.spring.collection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.method.NoSessionContext;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ChangeFeed}: cursors over a store that reports its changes, and the
 * write fence that holds a method's {@code updated} while another thread delivers its
 * changes.
 */
class ChangeFeedTests {

	private static final Ejson EJSON = Ejson.createDefault();

	record Order(String id, String customer, boolean open) {
	}

	private final Map<String, Order> store = new ConcurrentHashMap<>();

	private final ChangeFeed<Order> orders = new ChangeFeed<>("orders", Order.class, EJSON, this.store::values);

	@Test
	void cursorsStartFromTheStoreAndFollowReportedChanges() {
		this.store.put("o1", new Order("o1", "ann", true));
		this.store.put("o2", new Order("o2", "bob", false));
		RecordingPublisher publisher = new RecordingPublisher("orders");
		this.orders.find((order) -> order.open()).publish(publisher);
		assertThat(publisher.takeCalls()).containsExactly("added o1 {customer=ann, open=true}");
		report(new Order("o3", "cid", true), true);
		report(new Order("o1", "ann", false), false);
		report(new Order("o2", "bob", true), false);
		// Reported twice: the cursor has it already
		report(new Order("o2", "bob", true), false);
		this.store.remove("o3");
		this.orders.removed("o3");
		assertThat(publisher.takeCalls()).containsExactly("added o3 {customer=cid, open=true}", "removed o1",
				"added o2 {customer=bob, open=true}", "removed o3");
		assertThat(this.orders.find().count()).isEqualTo(2);
		assertThat(this.orders.find((order) -> order.open()).fetch()).containsExactly(new Order("o2", "bob", true));
	}

	@Test
	void reportedDocumentsNeedAnId() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.orders.inserted(new Order(null, "ann", true)))
			.withMessageContaining("must have an id");
	}

	@Test
	void aMethodsUpdatedWaitsForItsChangesDeliveredByAnotherThread() throws Exception {
		DdpCollection<Order> collection = new DdpCollection<>("orders", Order.class, EJSON);
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> events = new CopyOnWriteArrayList<>();
		RecordingPublisher publisher = new RecordingPublisher("orders") {

			@Override
			public void added(String id, DocumentSnapshot fields) {
				if (id.equals("slow")) {
					blocked.countDown();
					await(release);
				}
				events.add("added " + id);
			}

		};
		Predicate<Order> all = (order) -> true;
		collection.find(all).publish(publisher);
		// Another thread's write is being delivered, slowly
		Thread writer = new Thread(() -> collection.insert(new Order("slow", "ann", true)));
		writer.start();
		assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
		DdpMethodRegistry registry = new DdpMethodRegistry();
		registry.register("addOrder", (invocation, arguments) -> {
			collection.insert(new Order("fast", "bob", true));
			return DdpMethodHandler.NO_RESULT;
		});
		MethodDispatcher dispatcher = new MethodDispatcher(registry, EJSON, List.of());
		dispatcher.dispatch(new NoSessionContext(), "1", "addOrder", JsonNodeFactory.instance.arrayNode(), null, () -> {
		}, (result, fence) -> fence.arm(() -> events.add("updated")));
		// The method returned; its change waits behind the slow one, and so does updated
		assertThat(events).isEmpty();
		release.countDown();
		writer.join(10_000);
		assertThat(events).containsExactly("added slow", "added fast", "updated");
	}

	private void report(Order order, boolean inserted) {
		this.store.put(order.id(), order);
		if (inserted) {
			this.orders.inserted(order);
		}
		else {
			this.orders.changed(order);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
