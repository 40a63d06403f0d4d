using Dsl.Streams.Definition;
using Dsl.Streams.Samples;

namespace Dsl.Streams.Tests;

public sealed class DefinitionTests
{
    public sealed record Node(long Id, Node? Next);

    public sealed record Loose(long Id, object Payload);

    public sealed record WithList(long Id, List<int> Items);

    public sealed class Account
    {
        [PrimaryKey]
        public long Id { get; set; }

        public string Name { get; set; } = "";
    }

    private static string Refusal(Func<StreamResolver> define) => Assert.Throws<StreamDefinitionException>(() => define())!.Message;

    [Test]
    public void The_sample_resolver_flattens_the_nested_record_and_compiles_its_features()
    {
        var resolver = SampleStream.Resolver();
        Assert.That(resolver.Columns.Select(c => c.Name), Is.EqualTo(new[] { "_.Id", "_.Name", "_.ContactInfo.EmailAddress", "_.ContactInfo.Phone", "_.UpdatedAt", "_.Amount" }));
        Assert.That(resolver.Outputs[0].Feature, Is.EqualTo("Id"));
        Assert.That(resolver.Outputs.Select(o => o.QualifiedName), Does.Contain("customer.email_domain"));
        foreach (var (feature, mode, reason) in resolver.Verdicts) TestContext.Out.WriteLine($"{feature}: {mode} {reason}");
        Assert.That(resolver.Verdicts.Single(v => v.Feature == "Score").Mode, Is.EqualTo(Runtime.ExecutionMode.Compiled));
    }

    [Test]
    public void A_recursive_member_is_refused_naming_it() =>
        Assert.That(Refusal(() => StreamResolver.For<Node>("n", "s").Output((Account a) => a.Id, m => m.Id).Build()),
            Does.Contain("Node.Next").And.Contain("contains itself"));

    [Test]
    public void An_object_typed_member_is_refused_naming_it() =>
        Assert.That(Refusal(() => StreamResolver.For<Loose>("l", "s").Output((Account a) => a.Id, m => m.Id).Build()),
            Does.Contain("Loose.Payload").And.Contain("object-typed"));

    [Test]
    public void A_list_member_is_refused_naming_it() =>
        Assert.That(Refusal(() => StreamResolver.For<WithList>("l", "s").Output((Account a) => a.Id, m => m.Id).Build()),
            Does.Contain("WithList.Items"));

    [Test]
    public void Features_of_two_entities_are_refused() =>
        Assert.That(Refusal(() => StreamResolver.For<CustomerMessage>("c", "s").Output((Customer c) => c.Id, m => m.Id).Output((Account a) => a.Name, m => m.Name).Build()),
            Does.Contain("Account.Name").And.Contain("one entity"));

    [Test]
    public void An_unknown_feature_name_is_refused_with_a_suggestion() =>
        Assert.That(Refusal(() => StreamResolver.For<CustomerMessage>("c", "s").Output((Customer c) => c.Id, m => m.Id)
                .Output<Customer>("Emial", (System.Linq.Expressions.Expression<Func<CustomerMessage, string>>)(m => m.Name)).Build()),
            Does.Contain("'Emial' is not a feature of Customer").And.Contain("Email"));

    [Test]
    public void A_value_of_another_type_is_refused() =>
        Assert.That(Refusal(() => StreamResolver.For<CustomerMessage>("c", "s").Output((Customer c) => c.Id, m => m.Id)
                .Output<Customer>("Email", (System.Linq.Expressions.Expression<Func<CustomerMessage, double>>)(m => m.Amount)).Build()),
            Does.Contain("Customer.Email is string").And.Contain("double"));

    [Test]
    public void The_primary_key_must_be_written() =>
        Assert.That(Refusal(() => StreamResolver.For<CustomerMessage>("c", "s").Output((Customer c) => c.Email, m => m.Name).Build()),
            Does.Contain("Customer.Id (the primary key) is not an output"));

    [Test]
    public void A_nested_record_read_whole_is_refused() =>
        Assert.That(Refusal(() => StreamResolver.For<CustomerMessage>("c", "s").Output((Customer c) => c.Id, m => m.Id)
                .Output((Customer c) => c.Email, m => m.ContactInfo.ToString()!).Build()),
            Does.Contain("as a whole"));
}
