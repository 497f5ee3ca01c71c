package io.ddp.spring.protocol;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A custom EJSON type for tests, whose JSON value nests an EJSON date.
 *
 * @param currency the currency code
 * @param cents the amount in cents
 * @param asOf when the amount was valid
 */
record Money(String currency, long cents, Instant asOf) {

	static final EjsonType<Money> TYPE = new EjsonType<>() {

		@Override
		public String name() {
			return "money";
		}

		@Override
		public Class<Money> javaType() {
			return Money.class;
		}

		@Override
		public Object toJsonValue(Money value) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("currency", value.currency());
			json.put("cents", value.cents());
			json.put("asOf", value.asOf());
			return json;
		}

		@Override
		public Money fromJsonValue(@Nullable Object jsonValue) {
			if (!(jsonValue instanceof Map<?, ?> json)) {
				throw new IllegalArgumentException("Expected an object");
			}
			return new Money((String) json.get("currency"), ((Number) json.get("cents")).longValue(),
					(Instant) json.get("asOf"));
		}

	};

}
