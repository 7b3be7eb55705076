'use strict';
// The route editor's rows.
//
// A fact's row shows only the fields its topic takes: the page comes with the
// others marked `data-unused` (the stylesheet hides them), and this follows a
// change of topic. A field that holds a value stays in sight.
//
// A table's cells are labelled with their column's heading, for the phone
// layout that shows each row as a card; a row added with "Add another" opens
// its folded part, since what is folded there may be needed to save it.
{
    function holdsValue(input) {
        return input.type === 'checkbox' ? input.checked : input.value !== '';
    }

    function followTopic(select) {
        const {fields, topics} = JSON.parse(select.dataset.topicFields);
        const taken = new Set(topics[select.value] || []);
        const prefix = select.name.slice(0, -'topic'.length);
        for (const name of fields) {
            const input = select.form.elements.namedItem(prefix + name);
            if (input) {
                input.toggleAttribute('data-unused', !taken.has(name) && !holdsValue(input));
            }
        }
    }

    function labelCells(table) {
        const headings = [...table.tHead.rows[0].cells].map((cell) => cell.textContent.trim());
        for (const row of table.tBodies[0].rows) {
            [...row.cells].forEach((cell, index) => {
                if (headings[index]) {
                    cell.dataset.label = headings[index];
                }
            });
        }
    }

    document.addEventListener('change', (event) => {
        if (event.target.matches('select[data-topic-fields]')) {
            followTopic(event.target);
        }
    });

    document.addEventListener('formset:added', (event) => {
        const table = event.target.closest('table');
        if (table) {
            labelCells(table);
        }
        for (const details of event.target.querySelectorAll('details')) {
            details.open = true;
        }
    });

    function ready() {
        document.querySelectorAll('.route-editor .tabular table').forEach(labelCells);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', ready);
    } else {
        ready();
    }
}
