namespace TaskGrid.Bench.Results;

/// <summary>A whole run: the document written to bench/results/&lt;stamp&gt;.json and latest.json.</summary>
internal sealed record BenchReport(MachineInfo Machine, RunInfo Run, IReadOnlyList<ResultRow> Rows, IReadOnlyList<TargetResult> Targets);

/// <summary>One of issue 4's targets: what was measured and whether it passed. <see cref="Result"/> is pass, miss or not measured.</summary>
internal sealed record TargetResult(string Target, string Measured, string Result);
