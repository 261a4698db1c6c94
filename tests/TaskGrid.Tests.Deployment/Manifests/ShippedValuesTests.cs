using System.Text;
using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>What the repository ships is an example: no real secret values, no floating images in production.</summary>
public sealed class ShippedValuesTests
{
    [Theory]
    [MemberData(nameof(RenderedOverlay.All), MemberType = typeof(RenderedOverlay))]
    public async Task Every_secret_value_in_the_repository_is_a_marked_example(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var problems = new Problems(overlay);
        foreach (var secret in rendered.Objects.Where(o => o.Kind == "Secret"))
        {
            var values = secret.Root["stringData"].Entries.Select(e => (e.Key, Value: e.Value.Text ?? ""))
                .Concat(secret.Root["data"].Entries.Select(e => (e.Key, Value: Encoding.UTF8.GetString(Convert.FromBase64String(e.Value.Text ?? "")))));
            foreach (var (key, value) in values)
            {
                problems.Check(value.Contains("example", StringComparison.OrdinalIgnoreCase), $"Secret {secret.Name} key {key} holds a value not marked as an example");
            }
        }
        problems.AssertNone();
    }

    [Theory]
    [MemberData(nameof(RenderedOverlay.Production), MemberType = typeof(RenderedOverlay))]
    public async Task Production_images_are_pinned_to_a_version(string overlay)
    {
        var rendered = await RenderedOverlay.GetAsync(overlay);
        var images = rendered.Workloads.SelectMany(w => w.Containers).Select(c => c["image"].Text ?? "")
            .Concat(rendered.Objects.Where(o => o.Kind == "Cluster").Select(c => c.Spec["imageName"].Text ?? ""));
        Assert.All(images, image =>
        {
            var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image[(image.LastIndexOf('/') + 1)..].Split(':').ElementAtOrDefault(1);
            Assert.True(tag is not null and not "latest", $"Image {image} floats (no tag or :latest).");
        });
    }
}
