using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Validation;

namespace TaskGrid.Tests.Unit.Validation;

public sealed class GridRequestValidatorTests
{
    private static readonly string[] s_kinds = ["codegen", "noop"];

    [Fact]
    public void A_matrix_whose_size_overflows_an_int_is_too_large_rather_than_empty()
    {
        // 65,536 × 65,536 = 2^32, which an int holds as 0: the request once passed the cap and
        // expanded to four billion tasks in memory.
        var items = Enumerable.Repeat("a", 65_536).ToList();
        var request = new CreateGridRequest { Name = "bomb", Matrix = new GridMatrix { Objectives = items, Languages = items } };
        var refused = Assert.Throws<RequestTooLargeException>(() => GridRequestValidator.ThrowIfInvalid(request, s_kinds, 10_000));
        Assert.Contains("4294967296 tasks", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_within_the_cap_is_accepted()
    {
        var request = new CreateGridRequest { Name = "ok", Matrix = new GridMatrix { Objectives = ["a", "b"], Languages = ["python", "go"] } };
        GridRequestValidator.ThrowIfInvalid(request, s_kinds, 4);
    }
}
