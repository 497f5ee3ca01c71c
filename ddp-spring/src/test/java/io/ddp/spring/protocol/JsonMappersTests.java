package io.ddp.spring.protocol;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link JsonMappers}: frames get thread-local buffers, and an application's
 * mapper keeps all it was configured with.
 */
class JsonMappersTests {

	@Test
	void plainMapperUsesPlatformThreadBuffers() {
		JsonMapper mapper = JsonMappers.plain();
		assertThat(JsonMapper.builder().build().tokenStreamFactory()._getRecyclerPool())
			.isNotSameAs(PlatformThreadBuffers.INSTANCE);
		assertThat(mapper.tokenStreamFactory()._getRecyclerPool()).isSameAs(PlatformThreadBuffers.INSTANCE);
		assertThat(mapper.writeValueAsString(Map.of("a", 1))).isEqualTo("{\"a\":1}");
	}

	@Test
	void platformThreadKeepsItsOwnBuffers() throws Exception {
		AtomicReference<BufferRecycler> first = new AtomicReference<>();
		AtomicReference<BufferRecycler> second = new AtomicReference<>();
		Thread thread = new Thread(() -> {
			first.set(PlatformThreadBuffers.INSTANCE.acquireAndLinkPooled());
			first.get().releaseToPool();
			second.set(PlatformThreadBuffers.INSTANCE.acquireAndLinkPooled());
		});
		thread.start();
		thread.join();
		// the thread-local pool neither links nor needs a release to lend the same again
		assertThat(first.get().isLinkedWithPool()).isFalse();
		assertThat(second.get()).isSameAs(first.get());
		BufferRecycler other = PlatformThreadBuffers.INSTANCE.acquireAndLinkPooled();
		assertThat(other).isNotSameAs(first.get());
	}

	@Test
	void virtualThreadBorrowsFromTheSharedPool() throws Exception {
		Method ofVirtual;
		try {
			ofVirtual = Thread.class.getMethod("ofVirtual");
		}
		catch (NoSuchMethodException ex) {
			assumeTrue(false, "virtual threads need Java 21 or later");
			return;
		}
		AtomicReference<@Nullable BufferRecycler> lent = new AtomicReference<>();
		AtomicBoolean virtual = new AtomicBoolean();
		Runnable task = () -> {
			virtual.set(PlatformThreadBuffers.isVirtual(Thread.currentThread()));
			lent.set(PlatformThreadBuffers.INSTANCE.acquireAndLinkPooled());
		};
		Object builder = ofVirtual.invoke(null);
		Thread thread = (Thread) Class.forName("java.lang.Thread$Builder")
			.getMethod("start", Runnable.class)
			.invoke(builder, task);
		thread.join();
		assertThat(virtual).isTrue();
		BufferRecycler recycler = lent.get();
		assertThat(recycler).isNotNull();
		// linked: released, it goes back to the shared pool for the next virtual thread
		assertThat(recycler.isLinkedWithPool()).isTrue();
		assertThat(PlatformThreadBuffers.isVirtual(Thread.currentThread())).isFalse();
	}

	@Test
	void rebuiltMapperKeepsModulesFeaturesAndConstraints() {
		SimpleModule module = new SimpleModule("shout");
		module.addSerializer(String.class, new StdSerializer<>(String.class) {
			@Override
			public void serialize(String value, JsonGenerator g, SerializationContext context) {
				g.writeString(value.toUpperCase());
			}
		});
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).build())
			.build();
		JsonMapper application = JsonMapper.builder(factory)
			.addModule(module)
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build();
		JsonMapper rebuilt = JsonMappers.rebuildWithThreadBuffers(application).build();
		assertThat(rebuilt.tokenStreamFactory()._getRecyclerPool()).isSameAs(PlatformThreadBuffers.INSTANCE);
		assertThat(rebuilt.isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
		assertThat(rebuilt.writeValueAsString(Map.of("a", "b")))
			.isEqualTo(application.writeValueAsString(Map.of("a", "b")))
			.contains("\"B\"")
			.contains("\n");
		assertThatExceptionOfType(StreamConstraintsException.class).isThrownBy(() -> rebuilt.readTree("[[[[1]]]]"))
			.withMessageContaining("3");
		assertThat(application.tokenStreamFactory()._getRecyclerPool()).isNotSameAs(PlatformThreadBuffers.INSTANCE);
	}

	@Test
	void ejsonOnAnApplicationMapperUsesPlatformThreadBuffers() {
		JsonMapper application = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Ejson ejson = new Ejson(application);
		assertThat(ejson.mapper().tokenStreamFactory()._getRecyclerPool()).isSameAs(PlatformThreadBuffers.INSTANCE);
		assertThat(ejson.mapper().isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
		assertThat(new Ejson(application, EjsonTypeRegistry.withDefaults()).mapper()
			.tokenStreamFactory()
			._getRecyclerPool()).isSameAs(PlatformThreadBuffers.INSTANCE);
	}

}
