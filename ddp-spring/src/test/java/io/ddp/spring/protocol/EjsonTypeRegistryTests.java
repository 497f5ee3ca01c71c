package io.ddp.spring.protocol;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link EjsonTypeRegistry}.
 */
class EjsonTypeRegistryTests {

	@Test
	void withDefaultsKnowsObjectIds() {
		EjsonTypeRegistry registry = EjsonTypeRegistry.withDefaults();
		EjsonType<?> oid = registry.find("oid");
		assertThat(oid).isNotNull();
		assertThat(oid.javaType()).isEqualTo(ObjectId.class);
		assertThat(registry.findFor(ObjectId.class)).isSameAs(oid);
	}

	@Test
	void emptyRegistryKnowsNothing() {
		EjsonTypeRegistry registry = new EjsonTypeRegistry();
		assertThat(registry.find("oid")).isNull();
		assertThat(registry.findFor(ObjectId.class)).isNull();
		assertThat(registry.types()).isEmpty();
	}

	@Test
	void registeredTypeIsFoundByNameAndClass() {
		EjsonTypeRegistry registry = new EjsonTypeRegistry();
		registry.register(Money.TYPE);
		assertThat(registry.find("money")).isSameAs(Money.TYPE);
		assertThat(registry.findFor(Money.class)).isSameAs(Money.TYPE);
		assertThat(registry.findFor(Object.class)).isNull();
		assertThat(registry.types()).containsExactly(Money.TYPE);
	}

	@Test
	void typeRegisteredForASupertypeIsFoundForSubclasses() {
		EjsonTypeRegistry registry = new EjsonTypeRegistry();
		EjsonType<Shape> shapes = new NamedType<>("shape", Shape.class);
		registry.register(shapes);
		assertThat(registry.findFor(Circle.class)).isSameAs(shapes);
		assertThat(registry.findFor(String.class)).isNull();
	}

	@Test
	void duplicateNameIsRejected() {
		EjsonTypeRegistry registry = EjsonTypeRegistry.withDefaults();
		assertThatIllegalStateException().isThrownBy(() -> registry.register(new NamedType<>("oid", Shape.class)))
			.withMessageContaining("'oid'");
	}

	@Test
	void secondTypeForTheSameClassIsRejected() {
		EjsonTypeRegistry registry = EjsonTypeRegistry.withDefaults();
		assertThatIllegalStateException()
			.isThrownBy(() -> registry.register(new NamedType<>("objectId", ObjectId.class)))
			.withMessageContaining("'oid'")
			.withMessageContaining("'objectId'");
	}

	@Test
	void concurrentRegistrationsOfOneNameLetExactlyOneWin() throws Exception {
		EjsonTypeRegistry registry = new EjsonTypeRegistry();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger failures = new AtomicInteger();
		for (int i = 0; i < 8; i++) {
			executor.execute(() -> {
				try {
					start.await();
					registry.register(new NamedType<>("same", Shape.class));
				}
				catch (IllegalStateException ex) {
					failures.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		start.countDown();
		executor.shutdown();
		assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		assertThat(failures).hasValue(7);
		assertThat(registry.types()).hasSize(1);
	}

	interface Shape {

	}

	record Circle(double radius) implements Shape {
	}

	private record NamedType<T>(String name, Class<T> javaType) implements EjsonType<T> {

		@Override
		public Object toJsonValue(T value) {
			return value.toString();
		}

		@Override
		public T fromJsonValue(@Nullable Object jsonValue) {
			throw new UnsupportedOperationException();
		}

	}

}
