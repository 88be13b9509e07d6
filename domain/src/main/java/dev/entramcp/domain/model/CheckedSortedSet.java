package dev.entramcp.domain.model;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A sorted set of non-blank strings that this class copied and checked itself, so a value object
 * that receives one again (a record's compact constructor runs on every copy, as in
 * {@link CallerIdentity#withAssertion}) can keep it as it is instead of copying it once more.
 * Only {@link #of} makes one, from a private copy that nothing else holds, so it is immutable:
 * an unmodifiable view of a mutable set made elsewhere is never mistaken for one.
 */
final class CheckedSortedSet extends AbstractSet<String> implements SortedSet<String> {

    private final SortedSet<String> view;

    private CheckedSortedSet(TreeSet<String> ownCopy) {
        this.view = Collections.unmodifiableSortedSet(ownCopy);
    }

    /** {@code values} itself when it already is one, otherwise a checked, sorted, immutable copy. */
    static SortedSet<String> of(Collection<String> values, String field) {
        Require.notNull(values, field);
        if (values instanceof CheckedSortedSet checked) {
            return checked;
        }
        TreeSet<String> copy = new TreeSet<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("'" + field + "' must not contain blank entries");
            }
            copy.add(value);
        }
        return new CheckedSortedSet(copy);
    }

    @Override
    public Iterator<String> iterator() {
        return view.iterator();
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public boolean contains(Object value) {
        return view.contains(value);
    }

    @Override
    public Comparator<? super String> comparator() {
        return view.comparator();
    }

    @Override
    public SortedSet<String> subSet(String fromElement, String toElement) {
        return view.subSet(fromElement, toElement);
    }

    @Override
    public SortedSet<String> headSet(String toElement) {
        return view.headSet(toElement);
    }

    @Override
    public SortedSet<String> tailSet(String fromElement) {
        return view.tailSet(fromElement);
    }

    @Override
    public String first() {
        return view.first();
    }

    @Override
    public String last() {
        return view.last();
    }
}
