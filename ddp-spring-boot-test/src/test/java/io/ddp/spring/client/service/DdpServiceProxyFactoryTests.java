package io.ddp.spring.client.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.test.client.RecordingDdpConnection;
import io.ddp.spring.test.client.RecordingDdpConnection.Invocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DdpServiceProxyFactory}.
 */
class DdpServiceProxyFactoryTests {

	private final RecordingDdpConnection connection = new RecordingDdpConnection("remote");

	private final TodoClient client = new DdpServiceProxyFactory(this.connection).createClient(TodoClient.class);

	@Test
	void blockingCallSendsArgumentsAsParamsAndConvertsTheResult() {
		this.connection.respondWith((invocation) -> "id-" + invocation.args().get(0));
		assertThat(this.client.add("milk")).isEqualTo("id-milk");
		Invocation invocation = this.connection.invocations().get(0);
		assertThat(invocation.name()).isEqualTo("todos.add");
		assertThat(invocation.args()).containsExactly("milk");
		assertThat(invocation.options()).isEqualTo(CallOptions.defaults());
		assertThat(invocation.resultType()).isEqualTo(String.class);
	}

	@Test
	void blockingCallConvertsToTheGenericReturnType() {
		this.connection.respondWith((invocation) -> List.of(Map.of("id", "a", "text", "milk", "done", true),
				Map.of("id", "b", "text", "eggs", "done", false)));
		List<Todo> todos = this.client.list(true);
		assertThat(todos).containsExactly(new Todo("a", "milk", true), new Todo("b", "eggs", false));
		assertThat(this.connection.invocations().get(0).resultType().getTypeName())
			.isEqualTo("java.util.List<" + Todo.class.getName() + ">");
		assertThat(this.connection.invocations().get(0).args()).containsExactly(true);
	}

	@Test
	void nestedGenericReturnTypesConvert() {
		this.connection.respondWith((invocation) -> Map.of("even", List.of(2, 4), "odd", List.of(1L, 3.0)));
		Map<String, List<Integer>> groups = this.client.groups();
		assertThat(groups).containsEntry("even", List.of(2, 4)).containsEntry("odd", List.of(1, 3));
		assertThat(groups.get("odd").get(0)).isInstanceOf(Integer.class);
	}

	@Test
	void methodNameDefaultsToTheJavaMethodName() {
		this.client.groups();
		assertThat(this.connection.invocations().get(0).name()).isEqualTo("groups");
	}

	@Test
	void futureReturnTypeCallsAsynchronouslyWithTheFutureTypeArgument() throws Exception {
		this.connection.respondWith((invocation) -> List.of(Map.of("id", "a", "text", "milk", "done", false)));
		CompletableFuture<List<Todo>> future = this.client.listAsync();
		assertThat(future.get()).containsExactly(new Todo("a", "milk", false));
		Invocation invocation = this.connection.invocations().get(0);
		assertThat(invocation.kind()).isEqualTo("callAsync");
		assertThat(invocation.name()).isEqualTo("listAsync");
		assertThat(invocation.resultType().getTypeName()).isEqualTo("java.util.List<" + Todo.class.getName() + ">");
	}

	@Test
	void completionStageReturnTypeIsAsynchronousToo() throws Exception {
		this.connection.respondWith((invocation) -> 42);
		CompletionStage<Long> stage = this.client.countLater();
		assertThat(stage.toCompletableFuture().get()).isEqualTo(42L);
		assertThat(this.connection.invocations().get(0).resultType()).isEqualTo(Long.class);
	}

	@Test
	void serverErrorsAreThrownFromBlockingCallsAndFailFutures() {
		this.connection.respondWith((invocation) -> {
			throw new DdpException("not-allowed", "Nope");
		});
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> this.client.add("x"))
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo("not-allowed"));
		assertThat(this.client.listAsync()).failsWithin(Duration.ofSeconds(1))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(DdpException.class);
	}

	@Test
	void primitiveReturnTypesConvertAndRejectAMissingResult() {
		this.connection.respondWith((invocation) -> 7);
		assertThat(this.client.count()).isEqualTo(7);
		assertThat(this.connection.invocations().get(0).resultType()).isEqualTo(Integer.class);
		this.connection.respondWith((invocation) -> null);
		assertThatIllegalStateException().isThrownBy(this.client::count)
			.withMessageContaining("'todos.count' returned no value")
			.withMessageContaining("returns int");
	}

	@Test
	void voidMethodsCallAndIgnoreTheResult() {
		this.connection.respondWith((invocation) -> "ignored");
		this.client.clear();
		assertThat(this.connection.invocations()).singleElement()
			.satisfies((invocation) -> assertThat(invocation.name()).isEqualTo("todos.clear"));
	}

	@Test
	void futuresOfVoidIgnoreTheResult() throws Exception {
		this.connection.respondWith((invocation) -> Map.of("ignored", true));
		CompletableFuture<Void> done = this.client.clearLater();
		assertThat(done.get()).isNull();
		assertThat(this.connection.invocations().get(0).resultType()).isEqualTo(Object.class);
	}

	@Test
	void callOptionsOfTheAnnotationAreApplied() {
		this.connection.respondWith((invocation) -> invocation.args());
		List<Todo> todos = this.client.bulk(new Todo("a", "milk", false), new Todo("b", "eggs", true));
		assertThat(todos).extracting(Todo::text).containsExactly("milk", "eggs");
		Invocation invocation = this.connection.invocations().get(0);
		assertThat(invocation.options().waitForOthers()).isTrue();
		assertThat(invocation.options().noRetry()).isTrue();
		assertThat(invocation.options().timeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(invocation.args()).hasSize(2);
	}

	@Test
	void varargsAreSpreadIntoParams() {
		this.connection.respondWith((invocation) -> invocation.args());
		Object[] echoed = this.client.echo("a", 1, null);
		assertThat(echoed).containsExactly("a", 1, null);
		assertThat(this.connection.invocations().get(0).args()).containsExactly("a", 1, null);
		this.client.echo();
		assertThat(this.connection.invocations().get(1).args()).isEmpty();
	}

	@Test
	void nullArgumentsAreSentAsNull() {
		this.connection.respondWith((invocation) -> String.valueOf(invocation.args()));
		assertThat(this.client.add(null)).isEqualTo("[null]");
	}

	@Test
	void subscribeMethodsSubscribeWithTheArguments() {
		DdpSubscription subscription = this.client.open(10);
		assertThat(subscription.name()).isEqualTo("todos.open");
		assertThat(subscription.params()).containsExactly(10);
		DdpSubscription all = this.client.all();
		assertThat(all.name()).isEqualTo("all");
		assertThat(this.connection.invocations()).extracting(Invocation::kind)
			.containsExactly("subscribe", "subscribe");
	}

	@Test
	void defaultMethodsRunAsWritten() {
		this.connection.respondWith((invocation) -> "id-1");
		assertThat(this.client.addTwice("x")).isEqualTo("id-1 id-1");
		assertThat(this.connection.invocations()).hasSize(2);
	}

	@Test
	void objectMethodsAreAnsweredLocally() {
		TodoClient other = new DdpServiceProxyFactory(this.connection).createClient(TodoClient.class);
		assertThat(this.client.toString())
			.isEqualTo("DDP client " + TodoClient.class.getName() + " on connection 'remote'");
		assertThat(this.client).isEqualTo(this.client).isNotEqualTo(other);
		assertThat(this.client.hashCode()).isEqualTo(System.identityHashCode(this.client));
		assertThat(this.connection.invocations()).isEmpty();
	}

	@Test
	void genericTypesOfASuperInterfaceAreResolved() throws Exception {
		TodoRepository repository = new DdpServiceProxyFactory(this.connection).createClient(TodoRepository.class);
		this.connection.respondWith((invocation) -> "findAll".equals(invocation.name())
				? List.of(Map.of("id", "a", "text", "milk", "done", false))
				: Map.of("id", invocation.args().get(0), "text", "eggs", "done", true));
		assertThat(repository.findAll()).containsExactly(new Todo("a", "milk", false));
		assertThat(repository.findOne("b").get()).isEqualTo(new Todo("b", "eggs", true));
		assertThat(this.connection.invocations().get(1).resultType()).isEqualTo(Todo.class);
	}

	@Test
	void unannotatedAbstractMethodsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(Unannotated.class))
			.withMessageContaining(Unannotated.class.getName() + ".ping()")
			.withMessageContaining("neither @DdpCall nor @DdpSubscribe");
	}

	@Test
	void subscribeMethodsMustReturnASubscription() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(BadSubscription.class))
			.withMessageContaining("returns java.lang.String instead of DdpSubscription");
	}

	@Test
	void methodsCannotBeBothCallAndSubscription() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(BothAnnotations.class))
			.withMessageContaining("has both @DdpCall and @DdpSubscribe");
	}

	@Test
	void invalidTimeoutsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(BadTimeout.class))
			.withMessageContaining("invalid @DdpCall timeout 'soon'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(ZeroTimeout.class))
			.withMessageContaining("not positive");
	}

	@Test
	void onlyInterfacesAreAccepted() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DdpServiceProxyFactory(this.connection).createClient(String.class))
			.withMessage("java.lang.String is not an interface");
	}

	record Todo(String id, String text, boolean done) {
	}

	interface TodoClient {

		@DdpCall("todos.add")
		String add(String text);

		@DdpCall("todos.list")
		List<Todo> list(boolean done);

		@DdpCall
		CompletableFuture<List<Todo>> listAsync();

		@DdpCall("todos.count")
		CompletionStage<Long> countLater();

		@DdpCall
		Map<String, List<Integer>> groups();

		@DdpCall("todos.count")
		int count();

		@DdpCall("todos.clear")
		void clear();

		@DdpCall("todos.clear")
		CompletableFuture<Void> clearLater();

		@DdpCall(value = "todos.bulk", waitForOthers = true, noRetry = true, timeout = "5s")
		List<Todo> bulk(Todo... todos);

		@DdpCall
		Object[] echo(Object... args);

		@DdpSubscribe("todos.open")
		DdpSubscription open(int limit);

		@DdpSubscribe
		DdpSubscription all();

		default String addTwice(String text) {
			return add(text) + " " + add(text);
		}

	}

	interface Repository<T> {

		@DdpCall
		List<T> findAll();

		@DdpCall
		CompletableFuture<T> findOne(String id);

	}

	interface TodoRepository extends Repository<Todo> {

	}

	interface Unannotated {

		String ping();

	}

	interface BadSubscription {

		@DdpSubscribe
		String open();

	}

	interface BothAnnotations {

		@DdpCall
		@DdpSubscribe
		DdpSubscription open();

	}

	interface BadTimeout {

		@DdpCall(timeout = "soon")
		String slow();

	}

	interface ZeroTimeout {

		@DdpCall(timeout = "0s")
		String slow();

	}

}
