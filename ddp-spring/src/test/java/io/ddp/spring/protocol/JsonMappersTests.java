package io.ddp.spring.protocol;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JsonMappers}: frames get thread-local buffers, and an application's
 * mapper keeps all it was configured with.
 */
class JsonMappersTests {

	@Test
	void plainMapperUsesThreadLocalBuffers() {
		JsonMapper mapper = JsonMappers.plain();
		assertThat(JsonMapper.builder().build().tokenStreamFactory()._getRecyclerPool())
			.isNotSameAs(JsonRecyclerPools.threadLocalPool());
		assertThat(mapper.tokenStreamFactory()._getRecyclerPool()).isSameAs(JsonRecyclerPools.threadLocalPool());
		assertThat(mapper.writeValueAsString(Map.of("a", 1))).isEqualTo("{\"a\":1}");
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
		JsonMapper rebuilt = JsonMappers.rebuildWithThreadLocalBuffers(application).build();
		assertThat(rebuilt.tokenStreamFactory()._getRecyclerPool()).isSameAs(JsonRecyclerPools.threadLocalPool());
		assertThat(rebuilt.isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
		assertThat(rebuilt.writeValueAsString(Map.of("a", "b")))
			.isEqualTo(application.writeValueAsString(Map.of("a", "b")))
			.contains("\"B\"")
			.contains("\n");
		assertThatExceptionOfType(StreamConstraintsException.class).isThrownBy(() -> rebuilt.readTree("[[[[1]]]]"))
			.withMessageContaining("3");
		assertThat(application.tokenStreamFactory()._getRecyclerPool())
			.isNotSameAs(JsonRecyclerPools.threadLocalPool());
	}

	@Test
	void ejsonOnAnApplicationMapperUsesThreadLocalBuffers() {
		JsonMapper application = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Ejson ejson = new Ejson(application);
		assertThat(ejson.mapper().tokenStreamFactory()._getRecyclerPool())
			.isSameAs(JsonRecyclerPools.threadLocalPool());
		assertThat(ejson.mapper().isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
		assertThat(new Ejson(application, EjsonTypeRegistry.withDefaults()).mapper()
			.tokenStreamFactory()
			._getRecyclerPool()).isSameAs(JsonRecyclerPools.threadLocalPool());
	}

}
