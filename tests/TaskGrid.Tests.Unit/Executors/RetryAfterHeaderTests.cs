using System.ClientModel.Primitives;
using TaskGrid.Grains.Executors.Codegen;

namespace TaskGrid.Tests.Unit.Executors;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Read(params (string Name, string Value)[] headers) =>
        RetryAfterHeader.Read(new StubResponse(headers), s_now);

    [Fact]
    public void Seconds_are_read() => Assert.Equal(TimeSpan.FromSeconds(7), Read(("Retry-After", "7")));

    [Fact]
    public void Fractional_seconds_are_read() => Assert.Equal(TimeSpan.FromSeconds(1.5), Read(("retry-after", "1.5")));

    [Fact]
    public void Zero_seconds_means_now() => Assert.Equal(TimeSpan.Zero, Read(("Retry-After", "0")));

    [Fact]
    public void An_http_date_is_read_relative_to_now() =>
        Assert.Equal(TimeSpan.FromSeconds(90), Read(("Retry-After", "Sun, 22 Nov 2026 12:01:30 GMT")));

    [Fact]
    public void An_http_date_in_the_past_means_now() =>
        Assert.Equal(TimeSpan.Zero, Read(("Retry-After", "Sun, 22 Nov 2026 11:00:00 GMT")));

    [Fact]
    public void Retry_after_ms_is_read_and_wins_over_retry_after() =>
        Assert.Equal(TimeSpan.FromMilliseconds(250), Read(("retry-after-ms", "250"), ("Retry-After", "30")));

    [Fact]
    public void An_unreadable_retry_after_ms_falls_back_to_retry_after() =>
        Assert.Equal(TimeSpan.FromSeconds(3), Read(("retry-after-ms", "soon"), ("Retry-After", "3")));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("later")]
    [InlineData("-5")]
    public void An_unreadable_value_is_no_hint(string value) => Assert.Null(Read(("Retry-After", value)));

    [Fact]
    public void No_header_is_no_hint() => Assert.Null(Read());

    [Fact]
    public void No_response_is_no_hint() => Assert.Null(RetryAfterHeader.Read(null, s_now));

    private sealed class StubResponse((string Name, string Value)[] headers) : PipelineResponse
    {
        public override int Status => 429;

        public override string ReasonPhrase => "Too Many Requests";

        public override Stream? ContentStream { get; set; }

        public override BinaryData Content => BinaryData.Empty;

        protected override PipelineResponseHeaders HeadersCore { get; } = new StubHeaders(headers);

        public override BinaryData BufferContent(CancellationToken cancellationToken = default) => BinaryData.Empty;

        public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(BinaryData.Empty);

        public override void Dispose()
        {
        }
    }

    private sealed class StubHeaders((string Name, string Value)[] headers) : PipelineResponseHeaders
    {
        public override bool TryGetValue(string name, out string? value)
        {
            var found = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            value = found.Count == 0 ? null : string.Join(",", found.Select(h => h.Value));
            return found.Count > 0;
        }

        public override bool TryGetValues(string name, out IEnumerable<string>? values)
        {
            var found = headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
            values = found.Count == 0 ? null : found;
            return found.Count > 0;
        }

        public override IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).GetEnumerator();
    }
}
