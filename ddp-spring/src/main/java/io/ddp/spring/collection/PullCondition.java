package io.ddp.spring.collection;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Selector;
import org.jspecify.annotations.Nullable;

/**
 * Which elements {@code $pull} removes, as MongoDB (which a Meteor server runs) decides:
 * a document argument is a condition, on element values when its keys are operators
 * ({@code {$gte: 6}}, {@code {$in: [1, 2]}}), else a selector on elements that are
 * documents ({@code {qty: {$gt: 2}}}); any other argument removes the elements equal to
 * it. Minimongo refuses a condition on values; both take the rest alike.
 */
final class PullCondition {

	private static final String LIST = "list";

	private PullCondition() {
	}

	static Predicate<@Nullable Object> of(@Nullable Object argument) {
		if (!(argument instanceof Map<?, ?> condition)) {
			return (element) -> Ejson.equals(element, argument);
		}
		Selector selector;
		try {
			// An element is removed when a list of it alone would match $elemMatch
			selector = Selector.parse(Map.of(LIST, Map.of("$elemMatch", condition)));
		}
		catch (IllegalArgumentException ex) {
			throw new ModifierException(String.valueOf(ex.getMessage()));
		}
		return (element) -> {
			Map<String, @Nullable Object> alone = new HashMap<>(2);
			alone.put(LIST, Collections.singletonList(element));
			return selector.matches(alone);
		};
	}

}
