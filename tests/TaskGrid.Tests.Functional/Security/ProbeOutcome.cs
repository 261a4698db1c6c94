namespace TaskGrid.Tests.Functional.Security;

/// <summary>What one request got back, and what was wrong with the answer (null when nothing was).</summary>
/// <param name="Request">The request.</param>
/// <param name="Status">The status code, or 0 when no answer came.</param>
/// <param name="Body">The answer's body.</param>
/// <param name="Elapsed">How long the answer took.</param>
/// <param name="Failure">Why the answer is unacceptable, or null.</param>
public sealed record ProbeOutcome(HostileRequest Request, int Status, string Body, TimeSpan Elapsed, string? Failure)
{
    public string Describe() => $"{Failure}\n  {Request.Describe()}\n  answer {Status} after {Elapsed.TotalMilliseconds:F0} ms: {(Body.Length > 300 ? Body[..300] + "…" : Body)}";
}
