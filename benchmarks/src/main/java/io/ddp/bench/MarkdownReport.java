package io.ddp.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown report: the header the runner writes first, then the result tables, the
 * targets they were checked against, the notes and a closing line.
 */
final class MarkdownReport {

	private final StringBuilder text = new StringBuilder();

	private final List<String> checks = new ArrayList<>();

	/**
	 * Append one line.
	 * @param line the line, without its line break
	 */
	void line(String line) {
		this.text.append(line).append('\n');
	}

	/**
	 * Record a target and whether it was met, for the "Targets" section.
	 * @param check the sentence
	 */
	void check(String check) {
		this.checks.add(check);
	}

	/**
	 * Append the tables of everything measured: echo, ratios, sessions and idle unless
	 * only opt-in sections ran, then fan-out and propagation.
	 * @param results the results
	 */
	void tables(Results results) {
		if (!results.optInOnly()) {
			MainTables.render(results, this);
		}
		if (!results.fanoutRows.isEmpty()) {
			FanoutTable.render(results.fanoutRows, this);
		}
		if (!results.propagationRows.isEmpty()) {
			PropagationTable.render(results, this);
		}
	}

	/**
	 * Append the targets, the notes and the closing line.
	 * @param notes the notes collected during the run
	 * @param loadAverage the machine's load average at the end
	 * @param took how long the run took ({@code 812s})
	 */
	void tail(List<String> notes, String loadAverage, String took) {
		if (!this.checks.isEmpty()) {
			line("## Targets");
			line("");
			for (String c : this.checks) {
				line("- " + c);
			}
			line("");
		}
		if (!notes.isEmpty()) {
			line("## Notes");
			line("");
			for (String n : notes) {
				line("- " + n);
			}
			line("");
		}
		line("Load average at the end: " + loadAverage + "; the run took " + took + ".");
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

}
