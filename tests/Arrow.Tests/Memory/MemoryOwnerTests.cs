using Dsl.Arrow.Memory;

namespace Dsl.Arrow.Tests.Memory;

public class MemoryOwnerTests
{
    private sealed class CountingOwner() : MemoryOwner(0, 0)
    {
        public int Frees { get; private set; }

        protected override void Free() => Frees++;
    }

    [Test]
    public void Release_LastReference_FreesExactlyOnce()
    {
        var owner = new CountingOwner();
        owner.AddRef();
        owner.Release();
        Assert.That(owner.Frees, Is.EqualTo(0));
        owner.Release();
        Assert.That(owner.Frees, Is.EqualTo(1));
        Assert.That(owner.IsReleased, Is.True);
    }

    [Test]
    public void Release_MoreThanAcquired_ThrowsWithoutFreeingAgain()
    {
        var owner = new CountingOwner();
        owner.Release();
        Assert.That(() => owner.Release(), Throws.InvalidOperationException);
        Assert.That(owner.Frees, Is.EqualTo(1));
    }

    [Test]
    public void AddRef_AfterRelease_ThrowsObjectDisposed()
    {
        var owner = new CountingOwner();
        owner.Release();
        Assert.That(() => owner.AddRef(), Throws.TypeOf<ObjectDisposedException>());
    }
}
