using TaskGrid.Grains.Executors.Codegen;

namespace TaskGrid.Tests.Unit.Executors;

public sealed class CodeFenceTests
{
    [Fact]
    public void The_body_of_a_backtick_block_with_a_language_is_returned() =>
        Assert.Equal("print(1)\nprint(2)", CodeFence.Extract("Here you go:\n\n```python\nprint(1)\nprint(2)\n```\nHope it helps."));

    [Fact]
    public void A_tilde_fence_works_like_backticks() =>
        Assert.Equal("fn main() {}", CodeFence.Extract("~~~rust\nfn main() {}\n~~~"));

    [Fact]
    public void A_block_without_a_language_tag_is_returned() =>
        Assert.Equal("x = 1", CodeFence.Extract("```\nx = 1\n```"));

    [Fact]
    public void Windows_line_endings_are_handled() =>
        Assert.Equal("a\r\nb", CodeFence.Extract("```go\r\na\r\nb\r\n```\r\n"));

    [Fact]
    public void Only_the_first_block_is_taken() =>
        Assert.Equal("first", CodeFence.Extract("```\nfirst\n```\n\nand\n\n```\nsecond\n```"));

    [Fact]
    public void A_longer_fence_may_contain_a_shorter_one() =>
        Assert.Equal("```python\nx\n```", CodeFence.Extract("````markdown\n```python\nx\n```\n````"));

    [Fact]
    public void Backticks_and_tildes_do_not_close_each_other() =>
        Assert.Equal("a\n```\nb", CodeFence.Extract("~~~\na\n```\nb\n~~~"));

    [Fact]
    public void Indentation_inside_the_block_is_kept() =>
        Assert.Equal("def f():\n    return 1", CodeFence.Extract("```python\ndef f():\n    return 1\n```"));

    [Fact]
    public void An_answer_without_a_fence_is_the_code_itself_trimmed() =>
        Assert.Equal("console.log(1);", CodeFence.Extract("\n  console.log(1);  \n\n"));

    [Fact]
    public void An_unterminated_fence_keeps_everything_after_its_opening_line() =>
        Assert.Equal("print(1)\nprint(2", CodeFence.Extract("Sure:\n```python\nprint(1)\nprint(2\n"));

    [Fact]
    public void An_empty_block_yields_empty_code_not_the_fence() =>
        Assert.Equal("", CodeFence.Extract("```python\n```"));

    [Fact]
    public void Inline_backticks_are_not_a_fence() =>
        Assert.Equal("use `x` here", CodeFence.Extract("use `x` here"));
}
