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
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Methods that answer with this library's query and update rules (selectors, sorts,
 * projections, modifiers), for the interop suite, which asks Meteor's own Minimongo the
 * same questions and compares. Not in the Meteor reference app, whose server carries no
 * Minimongo; the tests that call them run against this application only.
 */
@Component
@Profile("conformance")
public class ConformanceQueries {

	private final Ejson ejson;

	public ConformanceQueries(Ejson ejson) {
		this.ejson = ejson;
	}

	/**
	 * Which of the documents a selector selects, as this library's {@link Selector}
	 * decides: the interop suite compares it with Minimongo's answer for the same
	 * selectors and documents ({@code selectors.test.mjs}). An invalid selector is error
	 * 400 with the parser's message.
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
	 * ({@code sorting.test.mjs}). An invalid sort specifier is error 400 with the
	 * parser's message.
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
	 * ({@code projection.test.mjs}). An invalid specifier is error 400 with the parser's
	 * message.
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
	 * with Minimongo's {@code _modify} ({@code modifiers.test.mjs}). A modifier that
	 * cannot be applied is error 409 with its message, as the mutator method
	 * {@code /<collection>/update} answers it.
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

}
