package io.ddp.spring.protocol;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpErrorObject}: Meteor's shape written, and what a reader makes of it
 * and of malformed objects.
 */
class DdpErrorObjectTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void writesMeteorsShape() {
		assertThat(write(new DdpException(404, "Method 'x' not found")))
			.isEqualTo("{\"isClientSafe\":true,\"error\":404,\"reason\":\"Method 'x' not found\","
					+ "\"message\":\"Method 'x' not found [404]\",\"errorType\":\"Meteor.Error\"}");
		assertThat(write(new DdpException("bad", null, List.of(1))))
			.isEqualTo("{\"isClientSafe\":true,\"error\":\"bad\",\"details\":[1],\"message\":\"[bad]\","
					+ "\"errorType\":\"Meteor.Error\"}");
		assertThat(write(new DdpException(400.0))).contains("\"error\":400,");
	}

	@Test
	void readsWhatItWrites() {
		DdpException read = DdpErrorObject
			.read(this.mapper.readTree(write(new DdpException(403, "Denied", Map.of("field", "name")))));
		assertThat(read.hasError(403)).isTrue();
		assertThat(read.getReason()).isEqualTo("Denied");
		assertThat(read.getDetails()).isEqualTo(Map.of("field", "name"));
		assertThat(read.getMessage()).isEqualTo("Denied [403]");
	}

	@Test
	void malformedObjectsBecomeUnknownErrors() {
		assertThat(DdpErrorObject.read(this.mapper.readTree("\"oops\"")).getError()).isEqualTo("unknown-error");
		assertThat(DdpErrorObject.read(this.mapper.readTree("{\"reason\":\"r\"}")).getError())
			.isEqualTo("unknown-error");
		assertThat(DdpErrorObject.read(this.mapper.readTree("{\"error\":{\"a\":1}}")).getError())
			.isEqualTo("{\"a\":1}");
	}

	private String write(DdpException error) {
		StringWriter out = new StringWriter();
		try (JsonGenerator g = this.mapper.createGenerator(out)) {
			DdpErrorObject.write(g, error);
		}
		return out.toString();
	}

}
