package io.ddp.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the scenarios measured, in the order the report shows it, and the notes
 * collected on the way.
 */
final class Results {

	final List<Row> echoRows = new ArrayList<>();

	final List<Row> sessionRows = new ArrayList<>();

	/** Idle rows, already formatted: one cell per column of the idle table. */
	final List<String[]> idleRows = new ArrayList<>();

	/** Heap for 10,000 idle sessions in MiB (measured or projected), by target. */
	final Map<String, Double> idleHeapMiB = new LinkedHashMap<>();

	final List<FanoutRow> fanoutRows = new ArrayList<>();

	final List<PropagationRow> propagationRows = new ArrayList<>();

	/**
	 * PostgreSQL's own steps, timed by {@link PostgresProbes} in the propagation section.
	 */
	final List<PostgresProbes.Probe> postgresProbes = new ArrayList<>();

	final List<String> notes = new ArrayList<>();

	/**
	 * Record a note for the report and print it now.
	 * @param text the note
	 */
	void note(String text) {
		this.notes.add(text);
		System.out.println("   note: " + text);
	}

	/**
	 * @return whether only opt-in sections (fan-out, propagation) measured anything
	 */
	boolean optInOnly() {
		return this.echoRows.isEmpty() && this.sessionRows.isEmpty() && this.idleRows.isEmpty()
				&& (!this.fanoutRows.isEmpty() || !this.propagationRows.isEmpty());
	}

}
