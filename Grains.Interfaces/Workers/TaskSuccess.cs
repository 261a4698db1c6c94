using TaskGrid.Tasks;

namespace TaskGrid.Workers;

/// <summary>A successful attempt to record.</summary>
/// <param name="Lease">The attempt's lease.</param>
/// <param name="Code">Generated code (codegen).</param>
/// <param name="Output">Printed output (script).</param>
/// <param name="Usage">Tokens used (codegen).</param>
public sealed record TaskSuccess(LeaseRef Lease, string? Code = null, string? Output = null, TaskUsage? Usage = null);
