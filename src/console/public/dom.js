/**
 * Building the page without innerHTML: `h('p', { className: 'x' }, 'text', child)`.
 * Strings become text nodes, so customer text can never turn into markup.
 */

/** An element with properties (`on*` are listeners, `attrs` are attributes) and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'attrs') {
      for (const [attribute, attributeValue] of Object.entries(value)) {
        if (attributeValue !== undefined && attributeValue !== null && attributeValue !== false) {
          element.setAttribute(attribute, attributeValue === true ? '' : String(attributeValue));
        }
      }
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else {
      element[name] = value;
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}
