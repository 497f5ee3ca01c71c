package io.ddp.sample.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Fields;
import io.ddp.spring.query.Selector;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.MethodArguments;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Profile;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;

/**
 * The methods of the conformance fixture, with the same behaviour as the Meteor reference
 * app ({@code ../shared/meteor-reference/app.js}), so one client test suite runs against
 * both servers. Logins are the real accounts' ({@link ConformanceAccounts}).
 */
@Component
@Profile("conformance")
public class ConformanceMethods {

	private final Ejson ejson;

	public ConformanceMethods(Ejson ejson) {
		this.ejson = ejson;
	}

	@DdpMethod
	public Object[] echo(Object... args) {
		return args;
	}

	/**
	 * Returns "ok"; limited to 3 calls per 5 s per connection
	 * ({@code application-conformance.yml}).
	 * @return "ok"
	 */
	@DdpMethod
	public String limited() {
		return "ok";
	}

	@DdpMethod
	public Object echoOne(MethodArguments arguments) {
		// Called without an argument, Meteor's echoOne returns undefined: no result
		// field.
		return (arguments.size() == 0) ? DdpMethodHandler.NO_RESULT : arguments.get(0);
	}

	@DdpMethod
	public void throwMeteorError() {
		throw new DdpException("custom-error", "Custom reason", Map.of("a", 1));
	}

	@DdpMethod
	public void throwInternal() {
		throw new IllegalStateException("internal detail that must not reach the client");
	}

	@DdpMethod
	public long slow(long millis, DdpMethodInvocation invocation) throws InterruptedException {
		invocation.unblock();
		Thread.sleep(millis);
		return millis;
	}

	@DdpMethod
	public String setUserId(String id, DdpMethodInvocation invocation) {
		invocation.setUserId(id);
		return id;
	}

	@DdpMethod
	public String whoami(DdpMethodInvocation invocation) {
		return invocation.userId();
	}

	/**
	 * Which of the documents a selector selects, as this library's {@link Selector}
	 * decides: the interop suite compares it with Minimongo's answer for the same
	 * selectors and documents ({@code selectors.test.mjs}). Not in the Meteor reference
	 * app, whose server has no Minimongo. An invalid selector is error 400 with the
	 * parser's message.
	 * @param selector the selector, in Meteor's JSON form with EJSON values
	 * @param documents the documents
	 * @return for each document, whether it is selected
	 */
	@DdpMethod
	public List<Boolean> selectorMatches(@Nullable Object selector, List<Object> documents) {
		Selector parsed;
		try {
			parsed = Selector.parse(selector);
		}
		catch (IllegalArgumentException ex) {
			throw new DdpException(400, ex.getMessage());
		}
		List<Boolean> selected = new ArrayList<>(documents.size());
		for (Object document : documents) {
			selected.add(document instanceof Map<?, ?> fields && parsed.matches(stringKeys(fields)));
		}
		return selected;
	}

	/**
	 * The ids of documents in a sort's order, as this library's {@link Sort} orders them
	 * (ties by {@code _id}): the interop suite compares it with Minimongo's sorter
	 * ({@code sorting.test.mjs}). Not in the Meteor reference app. An invalid sort
	 * specifier is error 400 with the parser's message.
	 * @param specifier the sort, in Meteor's form ({@code {a: 1, b: -1}} or
	 * {@code [["a", "desc"]]})
	 * @param documents the documents, each with an {@code _id}
	 * @return their ids, sorted
	 */
	@DdpMethod
	public List<@Nullable Object> sortOrder(Object specifier, List<Map<String, @Nullable Object>> documents) {
		Sort sort;
		try {
			sort = Sort.parse(specifier);
		}
		catch (IllegalArgumentException ex) {
			throw new DdpException(400, ex.getMessage());
		}
		List<Map<String, @Nullable Object>> sorted = new ArrayList<>(documents);
		sorted.sort(sort.comparator());
		return sorted.stream().map((document) -> document.get("_id")).toList();
	}

	/**
	 * Documents as a {@code fields} option projects them, as this library's
	 * {@link Fields} does: the interop suite compares it with Minimongo's projection
	 * ({@code projection.test.mjs}). Not in the Meteor reference app. An invalid
	 * specifier is error 400 with the parser's message.
	 * @param specifier the {@code fields} option, such as {@code {"a.b": 1, c: 1}}
	 * @param documents the documents
	 * @return the documents projected
	 */
	@DdpMethod
	public List<Map<String, @Nullable Object>> projection(Map<String, Object> specifier,
			List<Map<String, @Nullable Object>> documents) {
		Fields fields;
		try {
			fields = Fields.parse(specifier);
		}
		catch (IllegalArgumentException ex) {
			throw new DdpException(400, ex.getMessage());
		}
		return documents.stream().map(fields::apply).toList();
	}

	/**
	 * A document after a Mongo modifier, as {@link DdpCollection#update(String, Map)}
	 * leaves it (in a collection of its own, in memory): the interop suite compares it
	 * with Minimongo's {@code _modify} ({@code modifiers.test.mjs}). Not in the Meteor
	 * reference app. A modifier that cannot be applied is error 409 with its message, as
	 * the mutator method {@code /<collection>/update} answers it.
	 * @param document the document, with an {@code _id}
	 * @param modifier the modifier, with EJSON values
	 * @return the document afterwards
	 */
	@DdpMethod
	public Map<String, @Nullable Object> applyModifier(Map<String, @Nullable Object> document,
			Map<String, @Nullable Object> modifier) {
		DdpCollection<Map<String, @Nullable Object>> scratch = DdpCollection.ofMaps("scratch", this.ejson);
		try {
			String id = scratch.insert(document);
			scratch.update(id, modifier);
			return scratch.findById(id).orElseThrow();
		}
		catch (IllegalArgumentException ex) {
			throw new DdpException(409, ex.getMessage());
		}
		finally {
			scratch.close();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> stringKeys(Map<?, ?> fields) {
		return (Map<String, ?>) fields;
	}

	/**
	 * Returns "ok" to a connection whose Spring Security authentication has role ADMIN
	 * (user {@code root}); others get error 403 {@code Access denied}.
	 * @return "ok"
	 */
	@DdpMethod
	@PreAuthorize("hasRole('ADMIN')")
	public String adminOnly() {
		return "ok";
	}

}
