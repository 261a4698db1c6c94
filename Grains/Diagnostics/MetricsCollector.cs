using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TaskGrid.Observability;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// Listens to this process's <see cref="System.Diagnostics.Metrics"/> instruments (a
/// <see cref="MeterListener"/>) and keeps what they recorded: sums for counters, last values for
/// observable instruments, bucket counts for histograms. It reads the meters named at
/// construction that belong to this host's <see cref="IMeterFactory"/> (so two hosts in one test
/// process keep apart), plus the runtime's own <c>System.Runtime</c> meter (CPU, memory, GC).
/// The <c>/metrics</c> endpoints write what <see cref="Collect"/> returns; silos also publish it.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>TaskGrid's instruments, the runtime's, and ASP.NET Core's HTTP server metrics.</summary>
    public static readonly IReadOnlyList<string> DefaultMeters = [TaskGridMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting"];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly object _observeLock = new();

    /// <summary>Starts listening to <paramref name="meters"/> (default: <see cref="DefaultMeters"/>).</summary>
    public MetricsCollector(IMeterFactory meterFactory, IEnumerable<string>? meters = null)
    {
        var names = new HashSet<string>(meters ?? DefaultMeters, StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter;
            if (!names.Contains(meter.Name) || (meter.Scope is not null && !ReferenceEquals(meter.Scope, meterFactory)))
            {
                return;
            }
            var state = new InstrumentState(instrument);
            _instruments[instrument] = state;
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>What every instrument has recorded so far, observable instruments read now; sorted by name.</summary>
    public IReadOnlyList<InstrumentReading> Collect()
    {
        lock (_observeLock)
        {
            _listener.RecordObservableInstruments();
        }
        return [.. _instruments.Values
            .Select(state => state.Read())
            .Where(reading => reading.Series.Count > 0)
            .GroupBy(reading => reading.Name, StringComparer.Ordinal)
            .Select(group => group.First() with { Series = [.. group.SelectMany(r => r.Series)] })
            .OrderBy(reading => reading.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private sealed class InstrumentState
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        // The series of each tag set seen so far, so that a measurement (several per task on the
        // hot path) finds its series without spelling out its labels again.
        private readonly ConcurrentDictionary<TagSet, Series> _byTags = new();
        private readonly bool _observable;
        private readonly bool _histogram;
        private readonly MetricType _type;
        private readonly string _name;
        private readonly string _help;

        public InstrumentState(Instrument instrument)
        {
            var type = instrument.GetType();
            var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            _observable = instrument.IsObservable;
            _histogram = definition == typeof(Histogram<>);
            var counter = definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>);
            _type = _histogram ? MetricType.Histogram : counter ? MetricType.Counter : MetricType.Gauge;
            _name = PrometheusNames.Of(instrument, counter);
            _help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = TagSet.Of(tags) is { } set
                ? _byTags.TryGetValue(set, out var known) ? known : _byTags.GetOrAdd(set, SeriesOf(tags))
                : SeriesOf(tags);
            lock (series)
            {
                if (_histogram)
                {
                    series.Buckets![MetricsBuckets.IndexOf(value)]++;
                    series.Count++;
                    series.Value += value;
                }
                else if (_observable)
                {
                    series.Value = value; // an observation is the current value, not an increment
                }
                else
                {
                    series.Value += value;
                }
            }
        }

        private Series SeriesOf(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _series.GetOrAdd(PrometheusNames.Labels(tags), _ => new Series(_histogram));

        public InstrumentReading Read()
        {
            var series = new List<SeriesReading>();
            foreach (var (labels, s) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (s)
                {
                    series.Add(new SeriesReading(labels, s.Value, s.Buckets is null ? null : [.. s.Buckets], s.Count));
                }
            }
            return new InstrumentReading(_name, _type, _help, series);
        }

        /// <summary>Up to three tags by value (names and values compared with Equals), in the order recorded.</summary>
        private readonly record struct TagSet(
            string? Name1, object? Value1, string? Name2, object? Value2, string? Name3, object? Value3)
        {
            public static TagSet? Of(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length switch
            {
                0 => new TagSet(null, null, null, null, null, null),
                1 => new TagSet(tags[0].Key, tags[0].Value, null, null, null, null),
                2 => new TagSet(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, null, null),
                3 => new TagSet(tags[0].Key, tags[0].Value, tags[1].Key, tags[1].Value, tags[2].Key, tags[2].Value),
                _ => null,
            };
        }

        private sealed class Series(bool histogram)
        {
            public long[]? Buckets { get; } = histogram ? new long[MetricsBuckets.Seconds.Count + 1] : null;

            public double Value { get; set; }

            public long Count { get; set; }
        }
    }
}
